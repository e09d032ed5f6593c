"""Sensor platform: temperature and a reading counter."""
import requests
from homeassistant.components.sensor import SensorEntity
from homeassistant.core import callback

from .api import StationClient

_readings = 0


async def async_setup_entry(hass, entry, async_add_entities) -> None:
    client: StationClient = hass.data["weather_station"][entry.entry_id]
    async_add_entities([TemperatureSensor(client, entry.data["host"]), UptimeSensor(entry.data["host"])], True)


class TemperatureSensor(SensorEntity):
    _attr_name = "Station temperature"

    def __init__(self, client: StationClient, host: str) -> None:
        self._client = client
        self._host = host
        self._attr_native_value = None

    def update(self) -> None:
        # Run by Home Assistant in its executor: blocking is fine here.
        global _readings
        self._attr_native_value = self._client.temperature()
        _readings += 1

    @callback
    def async_handle_push(self, payload: dict) -> None:
        self._attr_native_value = float(payload["value"])
        self.async_write_ha_state()


class UptimeSensor(SensorEntity):
    _attr_name = "Station uptime"

    def __init__(self, host: str) -> None:
        self._host = host

    @property
    def native_value(self):
        return requests.get(f"http://{self._host}/api/uptime", timeout=10).json()["seconds"]
