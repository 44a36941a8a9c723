/// First-match evaluation of an ordered rule list over *all* packets, by partitioning the destination space.
///
/// The straightforward evaluation subtracts each rule from the packets still undecided; with real service tags a
/// rule's destination can hold thousands of intervals, and every subtraction copies such sets into new cubes.
/// Here the destination space is first cut into classes on which every rule's destination is all-or-nothing
/// (the "atomic predicates" of the rule list), then each class runs first match over the remaining four small
/// dimensions, and classes with the same outcome are merged. Big destination sets meet only during the cut.
///
/// Exact: for each packet, the class of its destination decides which rules can match it, and within the class
/// the rules are tried in order, so the result equals sequential first match (checked by property tests).
enum FirstMatchPartition {
    /// One rule cube: packets it matches and whether the rule allows them. Cubes of one rule keep its order.
    struct Entry {
        var cube: PacketCube
        var allow: Bool
    }

    /// The packets with a destination in `within` that the rule list allows (first match; packets no rule
    /// matches are not allowed). Restricting the destinations up front keeps the cut small.
    static func allowed(_ entries: [Entry], within: AddressSet = .all) -> PacketSet {
        if entries.isEmpty || within.isEmpty { return .empty }
        // Distinct destination sets, in first-use order, and each entry's index among them.
        // Linear search: rule lists name few distinct sets, and `==` on shared storage is O(1) where hashing a
        // service tag would read thousands of intervals.
        var destinations: [AddressSet] = []
        var destinationIndex: [Int] = []
        destinationIndex.reserveCapacity(entries.count)
        for entry in entries {
            if let index = destinations.firstIndex(of: entry.cube.destination) {
                destinationIndex.append(index)
            } else {
                destinationIndex.append(destinations.count)
                destinations.append(entry.cube.destination)
            }
        }
        // Cut the space: each class remembers which destination sets contain it (one bit per set).
        let words = (destinations.count + 63) / 64
        var classes: [(addresses: AddressSet, members: [UInt64])] = [(within, Array(repeating: 0, count: words))]
        for (index, destination) in destinations.enumerated() {
            var next: [(addresses: AddressSet, members: [UInt64])] = []
            next.reserveCapacity(classes.count + 1)
            for (addresses, members) in classes {
                if !addresses.intersects(destination) {
                    next.append((addresses, members))
                    continue
                }
                let inside = addresses.intersection(destination)
                let outside = addresses.subtracting(destination)
                var with = members
                with[index / 64] |= UInt64(1) << UInt64(index % 64)
                next.append((inside, with))
                if !outside.isEmpty { next.append((outside, members)) }
            }
            classes = next
        }
        // First match per class over protocols, ports and sources; classes with one outcome are merged.
        let matches = entries.map { entry in
            var match = entry.cube
            match.destination = .all
            return match
        }
        var outcomes: [(cubes: [PacketCube], addresses: AddressSet)] = []
        for (addresses, members) in classes {
            var remaining = [PacketCube(destination: .all)]
            var allowed: [PacketCube] = []
            for (entryIndex, entry) in entries.enumerated() {
                if remaining.isEmpty { break }
                let bit = destinationIndex[entryIndex]
                guard members[bit / 64] & (UInt64(1) << UInt64(bit % 64)) != 0 else { continue }
                let match = matches[entryIndex]
                var rest: [PacketCube] = []
                for cube in remaining {
                    let hit = cube.intersection(match)
                    if hit.isEmpty {
                        rest.append(cube)
                        continue
                    }
                    if entry.allow { allowed.append(hit) }
                    rest += cube.subtracting(match)
                }
                remaining = rest
            }
            if allowed.isEmpty { continue }
            if let index = outcomes.firstIndex(where: { $0.cubes == allowed }) {
                outcomes[index].addresses = outcomes[index].addresses.union(addresses)
            } else {
                outcomes.append((allowed, addresses))
            }
        }
        // Classes are disjoint, so cubes of different outcomes are too.
        var result = PacketSet.empty
        for outcome in outcomes {
            result = result.appendingDisjoint(PacketSet(disjoint: outcome.cubes.map { cube in
                var placed = cube
                placed.destination = outcome.addresses
                return placed
            }))
        }
        return result
    }
}
