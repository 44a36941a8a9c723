/// Deterministic GUID-shaped names (role assignments must be named by a GUID) from any seed text.
///
/// Two FNV-1a 64-bit hashes with different offsets give 128 bits; the version nibble is set to 5 and the
/// variant to RFC 4122, so the result is a well-formed GUID. Not ARM's `guid()` (that lives in PalisadeARM).
public enum StableGUID {
    /// The GUID for `parts` joined with `|`.
    public static func make(_ parts: String...) -> String {
        let seed = Array(parts.joined(separator: "|").utf8)
        func fnv(_ offset: UInt64) -> UInt64 {
            var hash = offset
            for byte in seed {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            return hash
        }
        let high = fnv(0xcbf2_9ce4_8422_2325), low = fnv(0x8422_2325_cbf2_9ce4)
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
        bytes[6] = bytes[6] & 0x0F | 0x50
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { byte -> String in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
