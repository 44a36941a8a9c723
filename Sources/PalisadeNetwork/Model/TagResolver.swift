import PalisadeModel

/// Expands file-backed service tags to address sets (N19, T4–T7, R15).
///
/// Symbolic mode: tag `T` is the atom `T` plus every atom `T.<region>` named anywhere in the model, so a
/// regional tag stays a subset of its global tag and the atoms partition the tag exactly.
/// Loaded mode: a tag is its real IPv4 prefixes; a tag missing from the file stays a symbolic atom.
struct TagResolver: Sendable {
    let catalog: ServiceTagCatalog
    /// Every tag atom the model names (symbolic mode only).
    let universe: [Atom]

    init(catalog: ServiceTagCatalog, mentionedTags: Set<String>) {
        self.catalog = catalog
        var seen: [String: Atom] = [:]
        for tag in mentionedTags.sorted() where !ServiceTagCatalog.computedTags.contains(tag.lowercased()) {
            if catalog.entry(tag) == nil { seen[tag.lowercased()] = seen[tag.lowercased()] ?? Atom.tag(tag) }
        }
        universe = seen.values.sorted()
    }

    /// The addresses of a file-backed tag.
    func resolve(_ tag: String) -> AddressSet {
        if let entry = catalog.entry(tag) { return AddressSet(ips: entry.addresses) }
        let lower = tag.lowercased()
        let members = universe.filter { $0.name.lowercased() == lower || $0.name.lowercased().hasPrefix(lower + ".") }
        return AddressSet(atoms: .only(Set(members + [Atom.tag(tag)])))
    }

    /// One representative concrete address of a tag: the first IPv4 address of its first prefix when loaded,
    /// else the tag atom.
    func representative(_ tag: String) -> Address {
        if let entry = catalog.entry(tag), let first = entry.prefixes.sorted().first { return .ip(first.network) }
        return .atom(.tag(tag))
    }
}

extension AddressSet {
    /// The IPv4 part only (a real tag never contains atoms, even when a prefix is `/0`).
    var intersectingIPs: AddressSet { AddressSet(ips: ips) }
}
