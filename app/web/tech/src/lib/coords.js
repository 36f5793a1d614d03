// Coordinates for Chinese map apps: Shifu stores WGS84 (GPS); 高德 and Apple Maps in China draw on
// GCJ-02 (the state-mandated offset datum); 百度 uses BD-09, its own offset of GCJ-02. Outside China
// GCJ-02 equals WGS84. Same published formulas as e.g. wandergis/coordtransform.

const A = 6378245.0 // Krasovsky 1940 semi-major axis, used by GCJ-02
const EE = 0.00669342162296594323 // its first eccentricity squared
const X_PI = (Math.PI * 3000.0) / 180.0

export function outOfChina(lon, lat) {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271
}

function dLat(x, y) {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3
  return r
}

function dLon(x, y) {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3
  return r
}

export function wgs84ToGcj02(lon, lat) {
  if (outOfChina(lon, lat)) return [lon, lat]
  const rad = (lat / 180) * Math.PI
  let magic = Math.sin(rad)
  magic = 1 - EE * magic * magic
  const sq = Math.sqrt(magic)
  const la = (dLat(lon - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sq)) * Math.PI)
  const lo = (dLon(lon - 105, lat - 35) * 180) / ((A / sq) * Math.cos(rad) * Math.PI)
  return [lon + lo, lat + la]
}

export function gcj02ToBd09(lon, lat) {
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI)
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI)
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006]
}

export const wgs84ToBd09 = (lon, lat) => gcj02ToBd09(...wgs84ToGcj02(lon, lat))

// The hand-off links, one per map app, each in the datum that app expects.
export function navigationLinks(lon, lat, name = '') {
  const [glon, glat] = wgs84ToGcj02(lon, lat)
  const [blon, blat] = wgs84ToBd09(lon, lat)
  const n = encodeURIComponent(name)
  const f = (v) => v.toFixed(6)
  return {
    amap: `https://uri.amap.com/navigation?to=${f(glon)},${f(glat)},${n}&mode=car&coordinate=gaode&callnative=1&src=shifu`,
    baidu: `https://api.map.baidu.com/direction?destination=latlng:${f(blat)},${f(blon)}|name:${n}&coord_type=bd09ll&mode=driving&output=html&src=shifu`,
    apple: `https://maps.apple.com/?daddr=${f(glat)},${f(glon)}&dirflg=d`,
  }
}
