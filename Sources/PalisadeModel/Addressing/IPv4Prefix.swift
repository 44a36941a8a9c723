/// An IPv4 CIDR prefix such as `10.1.0.0/22`; the network address is always normalised (host bits zero).
public struct IPv4Prefix: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The network address (host bits are zero).
    public let network: IPv4Address
    /// The prefix length, 0…32.
    public let length: Int

    /// Creates a prefix; host bits of `address` are cleared.
    public init(_ address: IPv4Address, length: Int) {
        precondition((0...32).contains(length), "prefix length out of range")
        self.length = length
        network = IPv4Address(address.value & IPv4Prefix.mask(length))
    }

    /// Parses `a.b.c.d/n` strictly: host bits must be zero, as Azure requires for subnet and VNet prefixes.
    public init?(_ text: some StringProtocol) {
        guard let parsed = IPv4Prefix.parse(text), parsed.hostBitsZero else { return nil }
        self = parsed.prefix
    }

    /// Parses `a.b.c.d/n` or a bare address (as `/32`), reporting whether host bits were zero.
    public static func parse(_ text: some StringProtocol) -> (prefix: IPv4Prefix, hostBitsZero: Bool)? {
        let bytes = text.utf8
        var length = 32
        let slash = bytes.firstIndex(of: 0x2F)
        guard let value = IPv4Address.scan(bytes[..<(slash ?? bytes.endIndex)]) else { return nil }
        if let slash {
            let digits = bytes[bytes.index(after: slash)...]
            guard !digits.isEmpty, digits.count <= 2, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            length = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard length <= 32 else { return nil }
        }
        let address = IPv4Address(value)
        let prefix = IPv4Prefix(address, length: length)
        return (prefix, prefix.network == address)
    }

    /// The netmask for a prefix length.
    public static func mask(_ length: Int) -> UInt32 {
        length == 0 ? 0 : UInt32.max << UInt32(32 - length)
    }

    /// Number of addresses covered (2^(32-length)).
    public var size: UInt64 { UInt64(1) << UInt64(32 - length) }

    /// The last address covered (the broadcast address for a subnet).
    public var last: IPv4Address { IPv4Address(network.value | ~IPv4Prefix.mask(length)) }

    /// Whether the prefix covers `address`.
    public func contains(_ address: IPv4Address) -> Bool {
        address.value & IPv4Prefix.mask(length) == network.value
    }

    /// Whether `other` lies entirely inside this prefix.
    public func contains(_ other: IPv4Prefix) -> Bool {
        other.length >= length && contains(other.network)
    }

    /// Whether the two prefixes share at least one address.
    public func overlaps(_ other: IPv4Prefix) -> Bool {
        contains(other.network) || other.contains(network)
    }

    /// The `index`-th subnet obtained by adding `newBits` to the prefix length (Terraform `cidrsubnet`,
    /// ARM `cidrSubnet` use the same numbering). Nil when the result would not exist.
    public func subnet(newBits: Int, index: Int) -> IPv4Prefix? {
        let newLength = length + newBits
        guard newBits >= 0, newLength <= 32, index >= 0, UInt64(index) < (UInt64(1) << UInt64(newBits)) else {
            return nil
        }
        let offset = UInt64(index) << UInt64(32 - newLength)
        return IPv4Prefix(IPv4Address(network.value + UInt32(offset)), length: newLength)
    }

    /// Terraform's `cidrsubnets(prefix, newbits...)`: consecutive, aligned allocations in argument order.
    /// Returns nil when the requested blocks do not fit.
    public func consecutiveSubnets(newBits: [Int]) -> [IPv4Prefix]? {
        var next = UInt64(network.value)
        let end = UInt64(network.value) + size
        var result: [IPv4Prefix] = []
        for bits in newBits {
            let newLength = length + bits
            guard bits >= 0, newLength <= 32 else { return nil }
            let blockSize = UInt64(1) << UInt64(32 - newLength)
            let start = (next + blockSize - 1) / blockSize * blockSize
            guard start + blockSize <= end else { return nil }
            result.append(IPv4Prefix(IPv4Address(UInt32(start)), length: newLength))
            next = start + blockSize
        }
        return result
    }

    /// Addresses usable by resources in an Azure subnet: size minus the 5 Azure reserves
    /// (network, .1 gateway, .2 and .3 DNS, broadcast). See docs/semantics.md#reserved-addresses.
    public var azureUsableCount: Int { max(0, Int(size) - 5) }

    /// The first address Azure hands out dynamically in a subnet (network + 4). docs/semantics.md#reserved-addresses.
    public var firstAzureUsable: IPv4Address { network.advanced(by: 4) }

    /// `a.b.c.d/n` text.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(18)
        network.appendText(to: &bytes)
        bytes.append(0x2F)
        if length >= 10 { bytes.append(0x30 + UInt8(length / 10)) }
        bytes.append(0x30 + UInt8(length % 10))
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (lhs: IPv4Prefix, rhs: IPv4Prefix) -> Bool {
        (lhs.network, lhs.length) < (rhs.network, rhs.length)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = IPv4Prefix.parse(text), text.contains("/") else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an IPv4 CIDR prefix (expected a.b.c.d/n, n in 0...32)")
        }
        guard parsed.hostBitsZero else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' has host bits set; did you mean '\(parsed.prefix)'?")
        }
        self = parsed.prefix
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension IPv4Prefix {
    /// RFC 1918 and RFC 6598 ranges, the private space Azure treats specially (docs/semantics.md#system-routes, #firewall-snat).
    public static let privateRanges: [IPv4Prefix] = [
        IPv4Prefix("10.0.0.0/8")!, IPv4Prefix("172.16.0.0/12")!, IPv4Prefix("192.168.0.0/16")!,
        IPv4Prefix("100.64.0.0/10")!,
    ]
    /// The default Docker bridge network, which AML compute must not overlap (https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet).
    public static let dockerBridge = IPv4Prefix("172.17.0.0/16")!
    /// Ranges a VNet may not use docs/semantics.md#reserved-addresses).
    public static let forbiddenInVirtualNetworks: [IPv4Prefix] = [
        IPv4Prefix("224.0.0.0/4")!, IPv4Prefix("255.255.255.255/32")!, IPv4Prefix("127.0.0.0/8")!,
        IPv4Prefix("169.254.0.0/16")!, IPv4Prefix("168.63.129.16/32")!,
    ]
    /// Everything.
    public static let all = IPv4Prefix(IPv4Address(0), length: 0)
}
