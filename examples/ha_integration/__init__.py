"""The 'weather_station' integration: set up the station client and forward to the sensor platform."""
import json
import time

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from .api import StationClient

DOMAIN = "weather_station"
PLATFORMS = ["sensor"]


def _read_calibration(path: str) -> dict:
    with open(path) as f:
        return json.load(f)


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    client = StationClient(entry.data["host"])
    # File I/O in the executor: fine.
    calibration = await hass.async_add_executor_job(_read_calibration, entry.data["calibration"])
    client.calibrate(calibration)
    hass.data.setdefault(DOMAIN, {})[entry.entry_id] = client
    entry.async_on_unload(hass.bus.async_listen("weather_station_reset", _make_reset_handler(client)))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


def _make_reset_handler(client: StationClient):
    @callback
    def handle_reset(event) -> None:
        client.reset()
        # Give the station a moment to reboot before polling again.
        time.sleep(2)

    return handle_reset


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    hass.data[DOMAIN].pop(entry.entry_id)
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
