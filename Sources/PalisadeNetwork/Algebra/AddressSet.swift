import PalisadeModel

/// A symbolic address outside the concrete IPv4 space: a service tag (when tags are symbolic) or a named
/// Internet host whose address the model does not know.
///
/// Decision (docs/engine-decisions.md, symbolic atoms): atoms are disjoint from every explicit CIDR except `0.0.0.0/0`,
/// and all atoms are public (`Internet` contains them, docs/semantics.md#internet-tag). Comparison ignores case, as Azure tag names do.
public struct Atom: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// What the atom stands for.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A service tag's addresses (not otherwise listed).
        case tag
        /// A public host known only by name.
        case host
    }
    /// The kind.
    public let kind: Kind
    /// The name as first written.
    public let name: String
    private let key: String

    /// Creates an atom.
    public init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
        key = "\(kind.rawValue):\(name.lowercased())"
    }

    /// A service-tag atom.
    public static func tag(_ name: String) -> Atom { Atom(.tag, name) }
    /// A named-host atom.
    public static func host(_ name: String) -> Atom { Atom(.host, name) }

    /// `tag:Storage` / `host:pypi.org`.
    public var description: String { kind == .tag ? name : "host:\(name)" }

    public static func == (lhs: Atom, rhs: Atom) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
    public static func < (lhs: Atom, rhs: Atom) -> Bool { lhs.key < rhs.key }

    private enum CodingKeys: String, CodingKey { case kind, name }
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode(Kind.self, forKey: .kind), try container.decode(String.self, forKey: .name))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(name, forKey: .name)
    }
}

/// A finite or co-finite set of atoms, closed under all Boolean operations.
public enum AtomSet: Hashable, Sendable, Codable {
    /// Exactly these atoms.
    case only(Set<Atom>)
    /// Every atom except these.
    case allExcept(Set<Atom>)

    /// No atoms.
    public static let none = AtomSet.only([])
    /// Every atom.
    public static let all = AtomSet.allExcept([])

    /// Whether no atom is in the set.
    public var isEmpty: Bool { if case .only(let s) = self { return s.isEmpty } else { return false } }

    /// Whether `atom` is in the set.
    public func contains(_ atom: Atom) -> Bool {
        switch self {
        case .only(let s): s.contains(atom)
        case .allExcept(let s): !s.contains(atom)
        }
    }

    /// The complement.
    public var complement: AtomSet {
        switch self {
        case .only(let s): .allExcept(s)
        case .allExcept(let s): .only(s)
        }
    }

    /// Union.
    public func union(_ other: AtomSet) -> AtomSet {
        switch (self, other) {
        case (.only(let a), .only(let b)): .only(a.union(b))
        case (.only(let a), .allExcept(let b)), (.allExcept(let b), .only(let a)): .allExcept(b.subtracting(a))
        case (.allExcept(let a), .allExcept(let b)): .allExcept(a.intersection(b))
        }
    }

    /// Intersection.
    public func intersection(_ other: AtomSet) -> AtomSet {
        if case .allExcept(let s) = self, s.isEmpty { return other }
        if case .allExcept(let s) = other, s.isEmpty { return self }
        if case .only(let s) = self, s.isEmpty { return self }
        if case .only(let s) = other, s.isEmpty { return other }
        switch (self, other) {
        case (.only(let a), .only(let b)): return .only(a.intersection(b))
        case (.only(let a), .allExcept(let b)), (.allExcept(let b), .only(let a)): return .only(a.subtracting(b))
        case (.allExcept(let a), .allExcept(let b)): return .allExcept(a.union(b))
        }
    }

    /// Difference.
    public func subtracting(_ other: AtomSet) -> AtomSet { intersection(other.complement) }

    /// Whether the two sets share an atom (no allocation for the common cases).
    public func intersects(_ other: AtomSet) -> Bool {
        switch (self, other) {
        case (.only(let a), .only(let b)): return a.count <= b.count ? a.contains { b.contains($0) } : b.contains { a.contains($0) }
        case (.only(let a), .allExcept(let b)), (.allExcept(let b), .only(let a)): return a.contains { !b.contains($0) }
        case (.allExcept, .allExcept): return true  // co-finite sets over an infinite universe always meet
        }
    }

    /// Sorted description, e.g. `Storage, host:pypi.org` or `all atoms except …`.
    public var text: String {
        switch self {
        case .only(let s): s.sorted().map(\.description).joined(separator: ",")
        case .allExcept(let s):
            s.isEmpty ? "any-public-name" : "any-public-name except " + s.sorted().map(\.description).joined(separator: ",")
        }
    }
}

/// A set of addresses: concrete IPv4 intervals plus symbolic atoms (the "destination dimension").
public struct AddressSet: Hashable, Sendable, Codable {
    /// Concrete IPv4 addresses.
    public var ips: IntervalSet
    /// Symbolic atoms.
    public var atoms: AtomSet

    /// Creates a set.
    public init(ips: IntervalSet = .empty, atoms: AtomSet = .none) {
        self.ips = ips
        self.atoms = atoms
    }

    /// Nothing.
    public static let empty = AddressSet()
    /// Everything: all of IPv4 and every atom (`*`, and `0.0.0.0/0`; docs/engine-decisions.md, symbolic atoms).
    public static let all = AddressSet(ips: .allAddresses, atoms: .all)

    /// Prefixes, as a set.
    public static func prefixes(_ prefixes: [IPv4Prefix]) -> AddressSet {
        if prefixes.contains(where: { $0.length == 0 }) { return .all }
        return AddressSet(ips: IntervalSet(prefixes: prefixes))
    }
    /// One address.
    public static func address(_ address: IPv4Address) -> AddressSet { AddressSet(ips: IntervalSet(address: address)) }
    /// One atom.
    public static func atom(_ atom: Atom) -> AddressSet { AddressSet(atoms: .only([atom])) }

    /// Whether the set is empty.
    public var isEmpty: Bool { ips.isEmpty && atoms.isEmpty }

    /// Whether the address is in the set.
    public func contains(_ address: Address) -> Bool {
        switch address {
        case .ip(let ip): ips.contains(ip.value)
        case .atom(let atom): atoms.contains(atom)
        }
    }

    /// Whether the two sets share an address.
    public func intersects(_ other: AddressSet) -> Bool { ips.intersects(other.ips) || atoms.intersects(other.atoms) }

    /// Union.
    public func union(_ other: AddressSet) -> AddressSet {
        AddressSet(ips: ips.union(other.ips), atoms: atoms.union(other.atoms))
    }
    /// Intersection.
    public func intersection(_ other: AddressSet) -> AddressSet {
        AddressSet(ips: ips.intersection(other.ips), atoms: atoms.intersection(other.atoms))
    }
    /// Difference.
    public func subtracting(_ other: AddressSet) -> AddressSet {
        AddressSet(ips: ips.subtracting(other.ips), atoms: atoms.subtracting(other.atoms))
    }

    /// Readable text: prefixes then atoms; all public unicast space prints as `Internet` (docs/semantics.md#internet-tag).
    public var text: String {
        if self == .all { return "*" }
        var parts: [String] = []
        var ips = self.ips
        var atoms = self.atoms
        if ips.isSuperset(of: WellKnownRanges.publicUnicast), atoms == .all {
            parts.append("Internet")
            ips = ips.subtracting(WellKnownRanges.publicUnicast)
            atoms = .none
        }
        if !ips.isEmpty { parts.append(ips.addressText) }
        if !atoms.isEmpty { parts.append(atoms.text) }
        return parts.isEmpty ? "∅" : parts.joined(separator: ",")
    }
}

/// One concrete address: an IPv4 address or a symbolic atom.
public enum Address: Hashable, Sendable, Codable, CustomStringConvertible {
    /// A concrete IPv4 address.
    case ip(IPv4Address)
    /// A symbolic address (service tag or named host).
    case atom(Atom)

    /// The IPv4 address, if concrete.
    public var ip: IPv4Address? { if case .ip(let ip) = self { return ip } else { return nil } }

    public var description: String {
        switch self {
        case .ip(let ip): ip.description
        case .atom(let atom): atom.description
        }
    }
}
