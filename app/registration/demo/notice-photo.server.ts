// A neutral placeholder for the child's photo in the demo's public notices: a grey head-and-
// shoulders silhouette drawn as a real PNG (no real child's likeness in fictional data).
import { deflateSync } from 'node:zlib'

const SIZE = 96

function crc32(bytes: Uint8Array): number {
  let crc = ~0
  for (const b of bytes) {
    crc ^= b
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1))
  }
  return ~crc >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE(crc32(body), 8 + data.length)
  return out
}

let cached: Uint8Array | null = null

export function demoNoticePhoto(): Uint8Array {
  if (cached) return cached
  const rows: number[] = []
  for (let y = 0; y < SIZE; y++) {
    rows.push(0) // filter: none
    for (let x = 0; x < SIZE; x++) {
      const head = (x - 48) ** 2 + (y - 38) ** 2 < 18 ** 2
      const shoulders = y > 62 && (x - 48) ** 2 / 36 ** 2 + (y - 96) ** 2 / 34 ** 2 < 1
      const v = head || shoulders ? 150 : 226
      rows.push(v, v, v)
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(SIZE, 0)
  header.writeUInt32BE(SIZE, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // truecolour
  cached = new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', new Uint8Array()),
  ]))
  return cached
}
