// The datum conversions against published reference values (wandergis/coordtransform's own test).
import { describe, it, expect } from 'vitest'
import { wgs84ToGcj02, gcj02ToBd09, wgs84ToBd09, outOfChina, navigationLinks } from '../tech/src/lib/coords.js'

const close = (got, want, digits = 9) => { expect(got[0]).toBeCloseTo(want[0], digits); expect(got[1]).toBeCloseTo(want[1], digits) }

describe('coordinate conversion', () => {
  it('WGS84 to GCJ-02 (高德)', () => close(wgs84ToGcj02(116.404, 39.915), [116.41024449916938, 39.91640428150164]))
  it('GCJ-02 to BD-09 (百度)', () => close(gcj02ToBd09(116.404, 39.915), [116.41036949371029, 39.92133699351021]))
  it('WGS84 to BD-09 goes through GCJ-02', () => close(wgs84ToBd09(116.404, 39.915), gcj02ToBd09(116.41024449916938, 39.91640428150164)))
  it('the offset in Hangzhou is a few hundred metres, not zero', () => {
    const [lon, lat] = wgs84ToGcj02(120.155, 30.274)
    const metres = Math.hypot((lon - 120.155) * 96000, (lat - 30.274) * 111000)
    expect(metres).toBeGreaterThan(300)
    expect(metres).toBeLessThan(700)
  })
  it('outside China nothing moves', () => {
    expect(outOfChina(2.35, 48.85)).toBe(true)
    expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85])
  })
  it('each app gets its own datum in its link', () => {
    const links = navigationLinks(116.404, 39.915, '李女士家')
    expect(links.amap).toContain('to=116.410244,39.916404,')
    expect(links.amap).toContain('coordinate=gaode')
    const [blon, blat] = wgs84ToBd09(116.404, 39.915)
    expect(links.baidu).toContain(`latlng:${blat.toFixed(6)},${blon.toFixed(6)}`)
    expect(links.baidu).toContain('coord_type=bd09ll')
    expect(links.apple).toContain('daddr=39.916404,116.410244')
  })
})
