/// Deterministic hashes and GUID-shaped names from seed text, for names Azure would make unique (role
/// assignment names, planned suffixes, workspace IDs the model does not know). Not ARM's `guid()` or
/// `uniqueString()`: those live in PalisadeARM and follow Azure's algorithms exactly.
public enum StableGUID {
    /// FNV-1a over the UTF-8 bytes of `text`, starting from `offset`.
    public static func fnv1a(_ text: String, offset: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = offset
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// A well-formed GUID (version nibble 5, RFC 4122 variant) for `parts` joined with `|`.
    public static func make(_ parts: String...) -> String {
        let seed = parts.joined(separator: "|")
        let high = fnv1a(seed), low = fnv1a(seed, offset: 0x8422_2325_cbf2_9ce4)
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
