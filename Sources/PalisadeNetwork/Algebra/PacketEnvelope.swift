/// A bounding box of a packet set in plain integers: the hull of its source and destination addresses, whether
/// it holds symbolic atoms, its protocol bits and its destination-port hull.
///
/// Rule loops test envelopes before intersecting sets, so a rule that cannot meet the flows costs a few integer
/// comparisons and no reference counting. An envelope over-approximates: `mayMeet` false proves the sets are
/// disjoint; true proves nothing.
public struct PacketEnvelope: Hashable, Sendable {
    /// Lowest and highest source IPv4 value (`lower > upper` when there is none).
    var sourceLower: UInt32 = .max
    var sourceUpper: UInt32 = 0
    /// Whether some cube has a symbolic source.
    var sourceAtoms = false
    /// Lowest and highest destination IPv4 value.
    var destinationLower: UInt32 = .max
    var destinationUpper: UInt32 = 0
    /// Whether some cube has a symbolic destination.
    var destinationAtoms = false
    /// Union of the protocol bits.
    var protocols: UInt8 = 0
    /// Destination-port hull.
    var portLower: UInt32 = .max
    var portUpper: UInt32 = 0

    /// The envelope of `set`.
    public init(_ set: PacketSet) {
        for cube in set.cubes {
            if let first = cube.source.ips.intervals.first, let last = cube.source.ips.intervals.last {
                sourceLower = min(sourceLower, first.lower)
                sourceUpper = max(sourceUpper, last.upper)
            }
            if !cube.source.atoms.isEmpty { sourceAtoms = true }
            if let first = cube.destination.ips.intervals.first, let last = cube.destination.ips.intervals.last {
                destinationLower = min(destinationLower, first.lower)
                destinationUpper = max(destinationUpper, last.upper)
            }
            if !cube.destination.atoms.isEmpty { destinationAtoms = true }
            protocols |= cube.protocols.bits
            if let first = cube.destinationPorts.intervals.first, let last = cube.destinationPorts.intervals.last {
                portLower = min(portLower, first.lower)
                portUpper = max(portUpper, last.upper)
            }
        }
    }

    /// False when no packet can lie in both sets. With `ignoringSource`, the source dimension is not compared
    /// (flows whose source is rewritten by SNAT are matched on the translated address elsewhere).
    @inline(__always)
    public func mayMeet(_ o: PacketEnvelope, ignoringSource: Bool = false) -> Bool {
        if protocols & o.protocols == 0 { return false }
        if max(portLower, o.portLower) > min(portUpper, o.portUpper) { return false }
        let destinationIPs = max(destinationLower, o.destinationLower) <= min(destinationUpper, o.destinationUpper)
        if !destinationIPs && !(destinationAtoms && o.destinationAtoms) { return false }
        if ignoringSource { return true }
        let sourceIPs = max(sourceLower, o.sourceLower) <= min(sourceUpper, o.sourceUpper)
        return sourceIPs || (sourceAtoms && o.sourceAtoms)
    }

    /// Whether the source hull contains `address` (a rule seen through SNAT must contain the translated source).
    @inline(__always)
    func sourceHullContains(_ address: UInt32) -> Bool { sourceLower <= address && address <= sourceUpper }

    /// Whether some destination of the envelope may lie in `addresses` (hull overlap, or atoms on both sides).
    func mayReach(_ addresses: AddressSet) -> Bool {
        if destinationAtoms && !addresses.atoms.isEmpty { return true }
        guard let first = addresses.ips.intervals.first, let last = addresses.ips.intervals.last else { return false }
        return max(first.lower, destinationLower) <= min(last.upper, destinationUpper)
    }

    /// Whether the destination hull contains `address`.
    func mayReach(_ address: UInt32) -> Bool { destinationLower <= address && address <= destinationUpper }
}
