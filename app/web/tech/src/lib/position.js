// The phone's position, asked once and kept: for distances on the home screen and the check-in.
import { state } from '../store.js'

// The check-in asks for a fresh fix (maximumAge 0): a cached one may be from down the street.
export function locate({ timeout = 10000, maximumAge = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('no geolocation'))
    navigator.geolocation.getCurrentPosition(
      (p) => {
        state.position = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: Math.round(p.coords.accuracy) }
        resolve(state.position)
      },
      reject,
      { enableHighAccuracy: true, timeout, maximumAge },
    )
  })
}
