import PalisadeModel

/// A concrete IP protocol of a packet.
public enum IPProtocol: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// TCP.
    case tcp = "Tcp"
    /// UDP.
    case udp = "Udp"
    /// ICMP.
    case icmp = "Icmp"
    /// IPsec ESP.
    case esp = "Esp"
    /// IPsec AH.
    case ah = "Ah"

    /// Parses `tcp`, `udp`, `icmp`, `esp`, `ah` (any case).
    public init?(text: String) {
        guard let value = IPProtocol.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            return nil
        }
        self = value
    }
    fileprivate var bit: UInt8 { UInt8(1) << UInt8(IPProtocol.allCases.firstIndex(of: self)!) }
    public static func < (lhs: IPProtocol, rhs: IPProtocol) -> Bool { lhs.bit < rhs.bit }
}

/// A set of IP protocols (a bit set).
public struct ProtocolSet: Hashable, Sendable, Codable {
    /// The bits, one per `IPProtocol` case.
    public private(set) var bits: UInt8

    /// Creates a set of protocols.
    public init(_ protocols: [IPProtocol]) { bits = protocols.reduce(0) { $0 | $1.bit } }
    private init(bits: UInt8) { self.bits = bits }

    /// No protocol.
    public static let empty = ProtocolSet([])
    /// Every protocol.
    public static let all = ProtocolSet(IPProtocol.allCases)
    /// TCP and UDP (firewall `Any` with explicit ports, docs/semantics.md#firewall-network-rules).
    public static let tcpUdp = ProtocolSet([.tcp, .udp])

    /// The NSG reading of a rule protocol (docs/semantics.md#nsg-protocols): `*` covers every protocol unless `anyCoversIPsec` is false,
    /// in which case it covers TCP, UDP and ICMP only.
    public init(nsg value: NetworkProtocol, anyCoversIPsec: Bool = true) {
        switch value {
        case .tcp: self.init([.tcp])
        case .udp: self.init([.udp])
        case .icmp: self.init([.icmp])
        case .esp: self.init([.esp])
        case .ah: self.init([.ah])
        case .any: self = anyCoversIPsec ? .all : ProtocolSet([.tcp, .udp, .icmp])
        }
    }

    /// Whether empty.
    public var isEmpty: Bool { bits == 0 }
    /// Whether `p` is in the set.
    public func contains(_ p: IPProtocol) -> Bool { bits & p.bit != 0 }
    /// Union.
    public func union(_ o: ProtocolSet) -> ProtocolSet { ProtocolSet(bits: bits | o.bits) }
    /// Intersection.
    public func intersection(_ o: ProtocolSet) -> ProtocolSet { ProtocolSet(bits: bits & o.bits) }
    /// Difference.
    public func subtracting(_ o: ProtocolSet) -> ProtocolSet { ProtocolSet(bits: bits & ~o.bits) }
    /// Members in declaration order.
    public var members: [IPProtocol] { IPProtocol.allCases.filter(contains) }
    /// `*` or `Tcp,Udp`.
    public var text: String { self == .all ? "*" : members.map(\.rawValue).joined(separator: ",") }
}

/// A concrete packet (5-tuple, plus the host name for application rules and DNS-named destinations).
public struct Packet: Hashable, Sendable, Codable {
    /// Source address.
    public var source: Address
    /// Destination address.
    public var destination: Address
    /// Protocol.
    public var `protocol`: IPProtocol
    /// Source port.
    public var sourcePort: Int
    /// Destination port.
    public var destinationPort: Int
    /// The host name the client asked for (TLS SNI / HTTP Host), when the destination came from a name.
    public var hostName: String?

    /// Creates a packet.
    public init(source: Address, destination: Address, protocol: IPProtocol, sourcePort: Int = 50000,
                destinationPort: Int, hostName: String? = nil) {
        self.source = source
        self.destination = destination
        self.protocol = `protocol`
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.hostName = hostName
    }
}

/// A product set: source × destination × protocol × source ports × destination ports.
public struct PacketCube: Hashable, Sendable, Codable {
    /// Sources.
    public var source: AddressSet
    /// Destinations.
    public var destination: AddressSet
    /// Protocols.
    public var protocols: ProtocolSet
    /// Source ports.
    public var sourcePorts: IntervalSet
    /// Destination ports.
    public var destinationPorts: IntervalSet

    /// Creates a cube (defaults: everything).
    public init(source: AddressSet = .all, destination: AddressSet = .all, protocols: ProtocolSet = .all,
                sourcePorts: IntervalSet = .allPorts, destinationPorts: IntervalSet = .allPorts) {
        self.source = source
        self.destination = destination
        self.protocols = protocols
        self.sourcePorts = sourcePorts
        self.destinationPorts = destinationPorts
    }

    /// Every packet.
    public static let all = PacketCube()

    /// Whether the cube holds no packet.
    public var isEmpty: Bool {
        source.isEmpty || destination.isEmpty || protocols.isEmpty || sourcePorts.isEmpty || destinationPorts.isEmpty
    }

    /// Whether the packet lies in the cube.
    public func contains(_ p: Packet) -> Bool {
        source.contains(p.source) && destination.contains(p.destination) && protocols.contains(p.protocol)
            && sourcePorts.contains(UInt32(p.sourcePort)) && destinationPorts.contains(UInt32(p.destinationPort))
    }

    /// The canonical empty cube.
    static let emptyCube = PacketCube(source: .empty, destination: .empty, protocols: .empty, sourcePorts: .empty,
                                      destinationPorts: .empty)

    /// Intersection (possibly empty); cheap dimensions first, stopping at the first empty one.
    public func intersection(_ o: PacketCube) -> PacketCube {
        let protocols = protocols.intersection(o.protocols)
        if protocols.isEmpty { return PacketCube.emptyCube }
        let destinationPorts = destinationPorts.intersection(o.destinationPorts)
        if destinationPorts.isEmpty { return PacketCube.emptyCube }
        let sourcePorts = sourcePorts.intersection(o.sourcePorts)
        if sourcePorts.isEmpty { return PacketCube.emptyCube }
        let destination = destination.intersection(o.destination)
        if destination.isEmpty { return PacketCube.emptyCube }
        let source = source.intersection(o.source)
        if source.isEmpty { return PacketCube.emptyCube }
        return PacketCube(source: source, destination: destination, protocols: protocols, sourcePorts: sourcePorts,
                          destinationPorts: destinationPorts)
    }

    /// `self \ o` as disjoint cubes (at most five).
    public func subtracting(_ o: PacketCube) -> [PacketCube] {
        if intersection(o).isEmpty { return [self] }
        var rest = self
        var pieces: [PacketCube] = []
        func emit(_ piece: PacketCube) { if !piece.isEmpty { pieces.append(piece) } }
        var piece = rest
        piece.source = rest.source.subtracting(o.source); emit(piece)
        rest.source = rest.source.intersection(o.source)
        piece = rest
        piece.destination = rest.destination.subtracting(o.destination); emit(piece)
        rest.destination = rest.destination.intersection(o.destination)
        piece = rest
        piece.protocols = rest.protocols.subtracting(o.protocols); emit(piece)
        rest.protocols = rest.protocols.intersection(o.protocols)
        piece = rest
        piece.sourcePorts = rest.sourcePorts.subtracting(o.sourcePorts); emit(piece)
        rest.sourcePorts = rest.sourcePorts.intersection(o.sourcePorts)
        piece = rest
        piece.destinationPorts = rest.destinationPorts.subtracting(o.destinationPorts); emit(piece)
        return pieces
    }
}

/// A set of packets as a union of pairwise-disjoint cubes.
public struct PacketSet: Hashable, Sendable, Codable {
    /// The disjoint cubes.
    public private(set) var cubes: [PacketCube]

    /// The empty set.
    public init() { cubes = [] }
    /// One cube.
    public init(_ cube: PacketCube) { cubes = cube.isEmpty ? [] : [cube] }
    /// Cubes the caller knows to be pairwise disjoint (empty ones are dropped; no normalisation).
    init(disjoint cubes: [PacketCube]) { self.cubes = cubes.filter { !$0.isEmpty } }
    /// The union of cubes (made disjoint).
    public init(cubes: [PacketCube]) {
        var set = PacketSet()
        for cube in cubes { set = set.union(PacketSet(cube)) }
        self = set
    }

    /// Nothing.
    public static let empty = PacketSet()
    /// Everything.
    public static let all = PacketSet(.all)

    /// Whether empty.
    public var isEmpty: Bool { cubes.isEmpty }

    /// Whether the packet is in the set.
    public func contains(_ p: Packet) -> Bool { cubes.contains { $0.contains(p) } }

    /// Intersection. For large operands, cubes of `o` outside the bounding source/destination sets of
    /// `self` are dropped before the pairwise pass.
    public func intersection(_ o: PacketSet) -> PacketSet {
        var others = o.cubes
        if cubes.count * others.count > 256 {
            let box = bounds
            others = others.filter { $0.destination.intersects(box.destination) && $0.source.intersects(box.source) }
        }
        var result = PacketSet()
        for a in cubes { for b in others { let c = a.intersection(b); if !c.isEmpty { result.cubes.append(c) } } }
        return result
    }

    /// Intersection with one cube.
    public func intersection(_ cube: PacketCube) -> PacketSet {
        var result = PacketSet()
        for a in cubes { let c = a.intersection(cube); if !c.isEmpty { result.cubes.append(c) } }
        return result
    }

    /// Difference.
    public func subtracting(_ o: PacketSet) -> PacketSet {
        var current = cubes
        for b in o.cubes {
            current = current.flatMap { $0.subtracting(b) }
            if current.isEmpty { break }
        }
        var result = PacketSet()
        result.cubes = current
        return result
    }

    /// Union.
    public func union(_ o: PacketSet) -> PacketSet {
        if isEmpty { return o }
        var result = self
        result.cubes += o.subtracting(self).cubes
        return result
    }

    /// Union with a set known to be disjoint from this one (no normalisation; the caller guarantees it).
    func appendingDisjoint(_ o: PacketSet) -> PacketSet {
        if o.isEmpty { return self }
        var result = self
        result.cubes += o.cubes
        return result
    }

    /// The union of sources and of destinations over all cubes (a bounding box for quick rejection).
    var bounds: (source: AddressSet, destination: AddressSet) {
        var sources = AddressSet.empty
        var destinations = AddressSet.empty
        for cube in cubes {
            sources = sources.union(cube.source)
            destinations = destinations.union(cube.destination)
        }
        return (sources, destinations)
    }

    /// Whether the two sets hold exactly the same packets.
    public func isEquivalent(to o: PacketSet) -> Bool { subtracting(o).isEmpty && o.subtracting(self).isEmpty }

    /// Applies `transform` to each cube (the caller keeps cubes disjoint or re-normalises).
    public func mapCubes(_ transform: (PacketCube) -> PacketCube) -> PacketSet {
        PacketSet(cubes: cubes.map(transform))
    }

    /// The union of destinations over all cubes.
    public var destinations: AddressSet { cubes.reduce(AddressSet.empty) { $0.union($1.destination) } }
}
