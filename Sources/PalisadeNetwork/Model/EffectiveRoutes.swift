import PalisadeModel

/// Where a route sends a packet (Network Watcher next hop types; docs/semantics.md#system-routes, #optional-system-routes, #private-endpoint-routes, #user-defined-routes).
public enum NextHop: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Within the VNet (docs/semantics.md#system-routes).
    case vnetLocal
    /// To a peered VNet (docs/semantics.md#optional-system-routes).
    case vnetPeering(ResourceID)
    /// To the VNet gateway (docs/semantics.md#optional-system-routes, #user-defined-routes).
    case virtualNetworkGateway
    /// Out to the Internet (docs/semantics.md#system-routes).
    case internet
    /// To an NVA or firewall private IP (docs/semantics.md#user-defined-routes, #ip-forwarding).
    case virtualAppliance(IPv4Address)
    /// Dropped (docs/semantics.md#system-routes, #user-defined-routes).
    case none
    /// To a PaaS service over a service endpoint (docs/semantics.md#optional-system-routes).
    case serviceEndpoint(String)
    /// A private endpoint /32 (shown by Azure as `InterfaceEndpoint`, docs/semantics.md#private-endpoint-routes [OBS]).
    case interfaceEndpoint(IPv4Address)

    /// Network Watcher's next hop type name.
    public var typeName: String {
        switch self {
        case .vnetLocal: "VnetLocal"
        case .vnetPeering: "VNetPeering"
        case .virtualNetworkGateway: "VirtualNetworkGateway"
        case .internet: "Internet"
        case .virtualAppliance: "VirtualAppliance"
        case .none: "None"
        case .serviceEndpoint: "VirtualNetworkServiceEndpoint"
        case .interfaceEndpoint: "InterfaceEndpoint"
        }
    }

    public var description: String {
        switch self {
        case .virtualAppliance(let ip): "VirtualAppliance \(ip)"
        case .vnetPeering(let vnet): "VNetPeering \(vnet.name)"
        case .serviceEndpoint(let service): "VirtualNetworkServiceEndpoint \(service)"
        case .interfaceEndpoint(let ip): "InterfaceEndpoint \(ip)"
        default: typeName
        }
    }
}

/// Where an effective route came from (Network Watcher's "source").
public enum RouteOrigin: String, Sendable, Hashable, Codable {
    /// A system route.
    case `default` = "Default"
    /// A user-defined route.
    case user = "User"
    /// Learned from the gateway (BGP / point-to-site).
    case virtualNetworkGateway = "VirtualNetworkGateway"
}

/// One row of a subnet's effective route table.
public struct EffectiveRoute: Sendable, Hashable, Codable {
    /// Route name (UDR name, or a generated system route name).
    public var name: String
    /// Where the route came from.
    public var origin: RouteOrigin
    /// The address prefix as Azure shows it (CIDR or service tag).
    public var addressPrefix: String
    /// The addresses covered.
    public var addresses: AddressSet
    /// The next hop.
    public var nextHop: NextHop
    /// `Active` or `Invalid` (docs/semantics.md#udr-longest-prefix-match, #private-endpoint-network-policies).
    public var active: Bool
    /// Why the route is invalid, when it is.
    public var invalidReason: String?
    /// Precedence class at equal prefix length: lower wins (docs/semantics.md#udr-longest-prefix-match, #service-tags-in-routes, #private-endpoint-network-policies).
    var tieClass: Int
    /// Prefix length for CIDR routes; nil for tag routes (expanded per prefix).
    var prefixLength: Int?
    /// The tag, for tag routes.
    var tag: String?
}

/// A subnet's effective routes with the precomputed longest-prefix partition (docs/semantics.md#udr-longest-prefix-match, #service-tags-in-routes).
public struct RouteTableView: Sendable, Hashable {
    /// All routes, active and invalid, in display order.
    public var routes: [EffectiveRoute]
    /// Disjoint address sets, each with the index of the route chosen for it.
    public private(set) var partition: [(addresses: AddressSet, route: Int)]
    /// Every interval of the partition with its part, sorted by address (the parts are disjoint).
    private var intervalIndex: [(lower: UInt32, upper: UInt32, part: Int)] = []
    /// Parts that hold symbolic atoms.
    private var atomParts: [Int] = []

    public static func == (l: RouteTableView, r: RouteTableView) -> Bool { l.routes == r.routes }
    public func hash(into hasher: inout Hasher) { hasher.combine(routes) }

    /// Builds the partition: longest prefix first (docs/semantics.md#udr-longest-prefix-match), then tie class (User > BGP > System, docs/semantics.md#udr-longest-prefix-match; explicit
    /// CIDR > regional tag > tag > AzureCloud.region > AzureCloud, docs/semantics.md#service-tags-in-routes); symbolic tag atoms rank as /32
    /// entries and only compete with other tag routes and `/0` routes (docs/engine-decisions.md, symbolic atoms).
    init(routes: [EffectiveRoute], tags: TagResolver) {
        self.routes = routes
        struct Piece { var addresses: AddressSet; var length: Int; var tieClass: Int; var route: Int }
        var pieces: [Piece] = []
        for (index, route) in routes.enumerated() where route.active {
            if let length = route.prefixLength {
                pieces.append(Piece(addresses: route.addresses, length: length, tieClass: route.tieClass, route: index))
            } else if let tag = route.tag {
                if let entry = tags.catalog.entry(tag) {
                    // docs/semantics.md#service-tags-in-routes [ASSUME]: non-tie cases use longest prefix over the expanded prefixes.
                    for prefix in entry.prefixes {
                        pieces.append(Piece(addresses: AddressSet(ips: IntervalSet(prefix: prefix)), length: prefix.length,
                                            tieClass: route.tieClass, route: index))
                    }
                } else {
                    pieces.append(Piece(addresses: route.addresses, length: 32, tieClass: route.tieClass, route: index))
                }
            }
        }
        pieces.sort { ($0.length, -$0.tieClass, -$0.route) > ($1.length, -$1.tieClass, -$1.route) }
        var covered = AddressSet.empty
        var byRoute: [Int: AddressSet] = [:]
        for piece in pieces {
            let fresh = piece.addresses.subtracting(covered)
            if fresh.isEmpty { continue }
            covered = covered.union(fresh)
            byRoute[piece.route] = (byRoute[piece.route] ?? .empty).union(fresh)
        }
        partition = byRoute.keys.sorted().map { (byRoute[$0] ?? .empty, $0) }
        for (part, entry) in partition.enumerated() {
            for interval in entry.addresses.ips.intervals { intervalIndex.append((interval.lower, interval.upper, part)) }
            if !entry.addresses.atoms.isEmpty { atomParts.append(part) }
        }
        intervalIndex.sort { $0.lower < $1.lower }
    }

    /// The parts (indices into `partition`, ascending) that some packet of `flows` falls in, found by binary
    /// search instead of intersecting the flows with every part (a hub has a part per peered spoke).
    func parts(meeting flows: PacketSet) -> [Int] {
        var hit = Array(repeating: false, count: partition.count)
        for cube in flows.cubes {
            if !cube.destination.atoms.isEmpty { for part in atomParts { hit[part] = true } }
            let intervals = cube.destination.ips.intervals
            if intervals.count <= intervalIndex.count {
                for interval in intervals {
                    var k = firstIndexEntry(reaching: interval.lower)
                    while k < intervalIndex.count, intervalIndex[k].lower <= interval.upper {
                        hit[intervalIndex[k].part] = true
                        k += 1
                    }
                }
            } else {
                for entry in intervalIndex where !hit[entry.part]
                    && cube.destination.ips.intersects(lower: entry.lower, upper: entry.upper) {
                    hit[entry.part] = true
                }
            }
        }
        return hit.indices.filter { hit[$0] }
    }

    private func firstIndexEntry(reaching value: UInt32) -> Int {
        var low = 0
        var high = intervalIndex.count
        while low < high {
            let mid = (low + high) / 2
            if intervalIndex[mid].upper < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The route chosen for a destination, if any (docs/semantics.md#udr-longest-prefix-match).
    public func lookup(_ destination: Address) -> EffectiveRoute? {
        partition.first { $0.addresses.contains(destination) }.map { routes[$0.route] }
    }

    /// The addresses whose chosen route has this next hop.
    func addresses(where predicate: (NextHop) -> Bool) -> AddressSet {
        partition.filter { predicate(routes[$0.route].nextHop) }.reduce(AddressSet.empty) { $0.union($1.addresses) }
    }
}
