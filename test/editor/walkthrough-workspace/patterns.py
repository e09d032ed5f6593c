# A scratch file for inserting a Threadwise pattern.
