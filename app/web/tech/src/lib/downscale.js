// Photos are downscaled on the phone before upload: a 12-megapixel camera shot is 4–8 MB, which a
// weak mobile link takes minutes to send; 1600 px on the long side is plenty to judge the work.
export const MAX_SIDE = 1600
export const QUALITY = 0.82

export function fittedSize(w, h, max = MAX_SIDE) {
  const k = Math.min(1, max / Math.max(w, h))
  return [Math.round(w * k), Math.round(h * k)]
}

export async function downscale(file, max = MAX_SIDE) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' }).catch(() => null)
  if (!bitmap) return file  // not decodable here: let the server judge the bytes
  const [w, h] = fittedSize(bitmap.width, bitmap.height, max)
  const canvas = document.createElement('canvas')
  canvas.width = w
  canvas.height = h
  canvas.getContext('2d').drawImage(bitmap, 0, 0, w, h)
  bitmap.close?.()
  const blob = await new Promise((r) => canvas.toBlob(r, 'image/jpeg', QUALITY))
  if (!blob || (blob.size >= file.size && file.type === 'image/jpeg')) return file
  return new File([blob], (file.name || 'photo').replace(/\.\w+$/, '') + '.jpg', { type: 'image/jpeg' })
}
