import PalisadeModel

/// Expands file-backed service tags to address sets (docs/semantics.md#service-tags, #service-tags-in-routes).
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
        var members = universe.filter { $0.name.lowercased() == lower || $0.name.lowercased().hasPrefix(lower + ".") }
        // docs/semantics.md#service-tags: regional tags lie in `AzureCloud.<region>`, and services' tags in `AzureCloud`, except the few
        // whose prefixes straddle it (checked on the 2025-10-28 file); symbolic `AzureCloud` holds the atoms
        // of the tags the model names accordingly, so a rule on `AzureCloud` meets the tags inside it.
        if lower == "azurecloud" {
            members += universe.filter { !TagResolver.straddlesAzureCloud($0.name) }
        } else if lower.hasPrefix("azurecloud."), let region = lower.split(separator: ".").last {
            members += universe.filter { atom in
                let name = atom.name.lowercased()
                return name.hasSuffix("." + region) && !TagResolver.straddlesAzureCloud(atom.name)
            }
        }
        return AddressSet(atoms: .only(Set(members + [Atom.tag(tag)])))
    }

    /// Tags with prefixes outside `AzureCloud` in Microsoft's 2025-10-28 file (21 of 3,039; computed from the
    /// fixture, docs/semantics.md#service-tags): they are not inside `AzureCloud`, in full or by region.
    static let straddlingTags: Set<String> = [
        "actiongroup", "azureactivedirectory", "azurefrontdoor.backend", "azurefrontdoor.firstparty", "azurefrontdoor.frontend",
        "azurefrontdoor.microsoftsecurity", "datafactory", "datafactorymanagement", "eopexternalpublishedips",
        "guestandhybridmanagement", "sccservice", "sqlmanagement", "storage", "windowsvirtualdesktop",
    ]

    /// Whether a tag (or its service, for a regional tag) has prefixes outside `AzureCloud`. Regional storage
    /// tags lie inside (docs/semantics.md#service-tags), so only the global `Storage` straddles.
    static func straddlesAzureCloud(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower.hasPrefix("azurecloud") { return false }
        if straddlingTags.contains(lower) { return true }
        let service = lower.split(separator: ".").first.map(String.init) ?? lower
        return service != "storage" && straddlingTags.contains(service)
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
