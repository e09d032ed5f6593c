"""A small synchronous client for the station's HTTP API (no Home Assistant imports)."""
import requests


class StationClient:
    def __init__(self, host: str) -> None:
        self._host = host
        self._offset = 0.0

    def calibrate(self, calibration: dict) -> None:
        self._offset = float(calibration.get("offset", 0.0))

    def reset(self) -> None:
        self._offset = 0.0

    def temperature(self) -> float:
        # Blocking HTTP: callers on the event loop must use async_add_executor_job.
        reply = requests.get(f"http://{self._host}/api/temperature", timeout=10)
        return float(reply.json()["value"]) + self._offset
