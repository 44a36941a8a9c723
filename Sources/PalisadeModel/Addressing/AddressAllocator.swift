/// Finds free, aligned address blocks: the lowest `/length` inside a given space that overlaps nothing already
/// taken. Blocks are aligned to their own size, as CIDR prefixes must be; the search is deterministic (lowest
/// address first, containers in the order given).
public struct AddressAllocator: Sendable, Hashable {
    /// Ranges that may not be handed out (subnets, peered VNets, on-premises prefixes, the Docker bridge…).
    public private(set) var taken: [IPv4Prefix]

    /// An allocator that avoids `taken`.
    public init(taken: [IPv4Prefix]) {
        self.taken = taken.sorted()
    }

    /// Why no block was found.
    public struct Exhausted: Error, Sendable, Hashable, CustomStringConvertible {
        /// The requested prefix length.
        public var length: Int
        /// Where the block was looked for.
        public var within: [IPv4Prefix]

        /// A failure to find a `/length` in `within`.
        public init(length: Int, within: [IPv4Prefix]) {
            self.length = length
            self.within = within
        }

        /// Plain words for a fix's reason.
        public var description: String {
            within.isEmpty ? "there is no address space to take a /\(length) from"
                : "no free /\(length) is left in \(within.map(\.description).joined(separator: ", ")) (every aligned block of that size overlaps a range already in use)"
        }
    }

    /// The lowest free `/length` block inside one of `within` (searched in order), or why there is none.
    public func firstFree(length: Int, within: [IPv4Prefix]) -> Result<IPv4Prefix, Exhausted> {
        guard (0...32).contains(length) else { return .failure(Exhausted(length: length, within: within)) }
        let size = UInt64(1) << UInt64(32 - length)
        for container in within where container.length <= length {
            let end = UInt64(container.network.value) + container.size
            var start = UInt64(container.network.value)
            while start + size <= end {
                let block = IPv4Prefix(IPv4Address(UInt32(start)), length: length)
                // The taken range reaching furthest among those the block overlaps: skip past it, re-aligned.
                guard let clash = taken.filter({ $0.overlaps(block) }).max(by: { $0.last < $1.last }) else { return .success(block) }
                let past = UInt64(clash.last.value) + 1
                start = (max(past, start + 1) + size - 1) / size * size
            }
        }
        return .failure(Exhausted(length: length, within: within))
    }

    /// Takes the lowest free `/length` block inside `within` and marks it taken, or says why there is none.
    public mutating func allocate(length: Int, within: [IPv4Prefix]) -> Result<IPv4Prefix, Exhausted> {
        let result = firstFree(length: length, within: within)
        if case .success(let block) = result { take(block) }
        return result
    }

    /// Marks `prefix` taken.
    public mutating func take(_ prefix: IPv4Prefix) {
        taken.append(prefix)
        taken.sort()
    }

    /// The smallest prefix length whose subnet gives at least `addresses` usable addresses after the five Azure
    /// reserves in every subnet (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq); nil when
    /// no IPv4 subnet is that large.
    public static func subnetLength(forUsable addresses: Int) -> Int? {
        (0...29).reversed().first { IPv4Prefix(IPv4Address(0), length: $0).azureUsableCount >= addresses }
    }
}
