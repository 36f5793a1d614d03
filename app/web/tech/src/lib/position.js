// The phone's position, asked once and kept: for distances on the home screen and the check-in.
import { state } from '../store.js'

export function locate({ timeout = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('no geolocation'))
    navigator.geolocation.getCurrentPosition(
      (p) => {
        state.position = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: Math.round(p.coords.accuracy) }
        resolve(state.position)
      },
      reject,
      { enableHighAccuracy: true, timeout, maximumAge: 30000 },
    )
  })
}
