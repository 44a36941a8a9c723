import PalisadeModel
import PalisadeNetwork
import PalisadeRules

/// Reads addresses after a re-addressing fix in terms of the addresses before it, so reachability can be compared
/// across the change. Each address of a moved range's new block stands for the address at the same offset of the
/// old range (offsets past the old range's size wrap around: an enlarged subnet's extra addresses behave like its
/// old ones); every other address stands for itself. A packet allowed after the change is new exactly when the
/// packet it stands for was not allowed before.
struct AddressRenaming {
    /// The moves, most specific new range first.
    let moves: [AddressMove]

    /// A renaming for `moves` (new ranges must not overlap one another, as allocated blocks do not).
    init(_ moves: [AddressMove]) {
        self.moves = moves.sorted { ($0.to.length, $0.to) > ($1.to.length, $1.to) }
    }

    /// Every address after the change that stands for an address in `set` before it (the preimage of `set`).
    func preimage(_ set: IntervalSet) -> IntervalSet {
        var result = set.subtracting(IntervalSet(prefixes: moves.map(\.to)))
        var claimed = IntervalSet.empty
        for move in moves {
            // Where new ranges nest, the more specific move decides (it comes first).
            let own = IntervalSet(prefix: move.to).subtracting(claimed)
            claimed = claimed.union(own)
            result = result.union(contribution(of: move, set).intersection(own))
        }
        return result
    }

    /// The addresses of `move`'s new block that stand for an address in `set`.
    private func contribution(of move: AddressMove, _ set: IntervalSet) -> IntervalSet {
        let old = set.intersection(IntervalSet(prefix: move.from))
        guard !old.isEmpty else { return .empty }
        let oldBase = UInt64(move.from.network.value)
        let newBase = UInt64(move.to.network.value)
        if move.to.size <= move.from.size {
            // The new block stands for the first part of the old range.
            let head = old.intersection(IntervalSet(UInt32(oldBase), UInt32(oldBase + move.to.size - 1)))
            return Self.shift(head, from: oldBase, to: newBase)
        }
        if old == IntervalSet(prefix: move.from) { return IntervalSet(prefix: move.to) }
        // Each stretch of the old range's size inside the new block stands for the old range.
        var result = IntervalSet.empty
        var copy = UInt64(0)
        while copy < move.to.size {
            result = result.union(Self.shift(old, from: oldBase, to: newBase + copy))
            copy += move.from.size
        }
        return result
    }

    /// The preimage of an address set (names and service tags stand for themselves).
    func preimage(_ set: AddressSet) -> AddressSet {
        AddressSet(ips: preimage(set.ips), atoms: set.atoms)
    }

    /// The preimage of a packet set: sources and destinations read through the renaming.
    func preimage(_ set: PacketSet) -> PacketSet {
        set.mapCubes { cube in
            var copy = cube
            copy.source = preimage(cube.source)
            copy.destination = preimage(cube.destination)
            return copy
        }
    }

    /// `set` (addresses counted from `from`) moved to count from `to`.
    static func shift(_ set: IntervalSet, from: UInt64, to: UInt64) -> IntervalSet {
        IntervalSet(set.intervals.map { interval in
            IntervalSet.Interval(UInt32(UInt64(interval.lower) - from + to), UInt32(UInt64(interval.upper) - from + to))
        })
    }
}
