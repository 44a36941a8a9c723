/// An IPv4 address held as a 32-bit integer, ordered numerically.
public struct IPv4Address: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The address as a big-endian 32-bit value (`10.0.0.1` is `0x0A000001`).
    public var value: UInt32

    /// Creates an address from its 32-bit value.
    public init(_ value: UInt32) { self.value = value }

    /// Creates an address from four octets.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad notation; returns nil for anything else (no leading zeros beyond `0`, exactly 4 octets).
    public init?(_ text: some StringProtocol) {
        guard let value = IPv4Address.scan(text.utf8) else { return nil }
        self.value = value
    }

    /// Parses a dotted quad from UTF-8 bytes: four decimal octets of one to three digits, each at most 255 and
    /// without leading zeros (so `010.0.0.1` is rejected rather than read as octal or decimal).
    static func scan(_ bytes: some Collection<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var parts = 0
        for byte in bytes {
            if byte == 0x2E {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | octet
                parts += 1
                octet = 0
                digits = 0
                continue
            }
            guard byte >= 0x30, byte <= 0x39, digits < 3 else { return nil }
            if digits == 1 && octet == 0 { return nil }  // a leading zero
            octet = octet * 10 + UInt32(byte - 0x30)
            guard octet <= 255 else { return nil }
            digits += 1
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | octet
    }

    /// The four octets, most significant first.
    public var octets: [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// Dotted-quad text.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(18)
        appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the dotted-quad text as ASCII bytes (no intermediate strings; address tables print thousands).
    public func appendText(to bytes: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) {
            let octet = UInt8(truncatingIfNeeded: value >> UInt32(shift))
            if octet >= 100 { bytes.append(0x30 + octet / 100) }
            if octet >= 10 { bytes.append(0x30 + octet / 10 % 10) }
            bytes.append(0x30 + octet % 10)
            if shift > 0 { bytes.append(0x2E) }
        }
    }

    /// The address `offset` positions later (wrapping is a programming error the caller must avoid).
    public func advanced(by offset: Int) -> IPv4Address {
        IPv4Address(UInt32(truncatingIfNeeded: Int64(value) + Int64(offset)))
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let address = IPv4Address(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an IPv4 address (expected a.b.c.d)")
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension IPv4Address {
    /// Azure's host virtual IP (DNS, DHCP, health probes); see docs docs/semantics.md#azureloadbalancer-tag, #platform-traffic.
    public static let azureHost = IPv4Address(168, 63, 129, 16)
    /// The instance metadata service address.
    public static let instanceMetadata = IPv4Address(169, 254, 169, 254)
}
