/// The deterministic hashes behind ARM's `uniqueString()` and `guid()`.
public enum ARMHash {
    /// SHA-1 (FIPS 180-4), used only for name-based GUIDs; not for security.
    public static func sha1(_ message: [UInt8]) -> [UInt8] {
        var h0: UInt32 = 0x6745_2301, h1: UInt32 = 0xEFCD_AB89, h2: UInt32 = 0x98BA_DCFE
        var h3: UInt32 = 0x1032_5476, h4: UInt32 = 0xC3D2_E1F0
        var data = message
        let bitLength = UInt64(message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for i in (0..<8).reversed() { data.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            for i in 0..<16 {
                let b = chunk + i * 4
                w[i] = UInt32(data[b]) << 24 | UInt32(data[b + 1]) << 16 | UInt32(data[b + 2]) << 8 | UInt32(data[b + 3])
            }
            for i in 16..<80 { w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1) }
            var a = h0, b = h1, c = h2, d = h3, e = h4
            for i in 0..<80 {
                let f: UInt32, k: UInt32
                switch i {
                case 0..<20: f = (b & c) | (~b & d); k = 0x5A82_7999
                case 20..<40: f = b ^ c ^ d; k = 0x6ED9_EBA1
                case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8F1B_BCDC
                default: f = b ^ c ^ d; k = 0xCA62_C1D6
                }
                let t = rotl(a, 5) &+ f &+ e &+ k &+ w[i]
                e = d; d = c; c = rotl(b, 30); b = a; a = t
            }
            h0 = h0 &+ a; h1 = h1 &+ b; h2 = h2 &+ c; h3 = h3 &+ d; h4 = h4 &+ e
        }
        var out: [UInt8] = []
        for h in [h0, h1, h2, h3, h4] { for s in [24, 16, 8, 0] { out.append(UInt8(truncatingIfNeeded: h >> UInt32(s))) } }
        return out
    }

    private static func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }

    /// The 64-bit MurmurHash variant Azure Resource Manager uses for `uniqueString()`.
    public static func murmur64(_ data: [UInt8], seed: UInt32 = 0) -> UInt64 {
        let c1: UInt32 = 0x239B_961B, c2: UInt32 = 0xAB0E_9789, c3: UInt32 = 0x38B3_4AE5, c4: UInt32 = 0xA1E3_8B93
        _ = (c3, c4)
        let length = data.count
        var h1 = seed, h2 = seed
        var index = 0
        func word(_ at: Int, _ n: Int) -> UInt32 {
            var v: UInt32 = 0
            for i in 0..<n { v |= UInt32(data[at + i]) << UInt32(8 * i) }
            return v
        }
        while index + 7 < length {
            var k1 = word(index, 4), k2 = word(index + 4, 4)
            k1 = k1 &* c1; k1 = rotl(k1, 15); k1 = k1 &* c2; h1 ^= k1
            h1 = rotl(h1, 19); h1 = h1 &+ h2; h1 = h1 &* 5 &+ 0x561C_CD1B
            k2 = k2 &* c2; k2 = rotl(k2, 17); k2 = k2 &* c1; h2 ^= k2
            h2 = rotl(h2, 13); h2 = h2 &+ h1; h2 = h2 &* 5 &+ 0x0BCA_A747
            index += 8
        }
        let tail = length - index
        if tail > 0 {
            var k1 = word(index, min(tail, 4))
            k1 = k1 &* c1; k1 = rotl(k1, 15); k1 = k1 &* c2; h1 ^= k1
            if tail > 4 {
                var k2 = word(index + 4, tail - 4)
                k2 = k2 &* c2; k2 = rotl(k2, 17); k2 = k2 &* c1; h2 ^= k2
            }
        }
        h1 ^= UInt32(truncatingIfNeeded: length); h2 ^= UInt32(truncatingIfNeeded: length)
        h1 = h1 &+ h2; h2 = h2 &+ h1
        h1 = fmix(h1); h2 = fmix(h2)
        h1 = h1 &+ h2; h2 = h2 &+ h1
        return UInt64(h2) << 32 | UInt64(h1)
    }

    private static func fmix(_ value: UInt32) -> UInt32 {
        var h = value
        h ^= h >> 16; h = h &* 0x85EB_CA6B; h ^= h >> 13; h = h &* 0xC2B2_AE35; h ^= h >> 16
        return h
    }

    /// `uniqueString(a, b, …)`: the arguments joined with `-`, MurmurHash64, 13 base-32 characters.
    public static func uniqueString(_ parts: [String]) -> String {
        var hash = murmur64(Array(parts.joined(separator: "-").utf8))
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var out = ""
        for _ in 0..<13 {
            out.append(alphabet[Int(hash >> 59)])
            hash <<= 5
        }
        return out
    }

    /// The namespace ARM's `guid()` hashes under.
    static let guidNamespace: [UInt8] = [
        0x11, 0xFB, 0x06, 0xFB, 0x71, 0x2D, 0x4D, 0xDD, 0x98, 0xC7, 0xE7, 0x1B, 0xBD, 0x58, 0x88, 0x30,
    ]

    /// `guid(a, b, …)`: an RFC 4122 version-5 UUID of the arguments joined with `-`.
    public static func guid(_ parts: [String]) -> String {
        var bytes = Array(sha1(guidNamespace + Array(parts.joined(separator: "-").utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return formatUUID(bytes)
    }

    /// Lower-case `8-4-4-4-12` text of 16 bytes in network order.
    static func formatUUID(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
        return hex[0..<4].joined() + "-" + hex[4..<6].joined() + "-" + hex[6..<8].joined() + "-" + hex[8..<10].joined()
            + "-" + hex[10..<16].joined()
    }
}
