import PalisadeModel

/// A named part of the destination space: a resource, a subnet, a virtual network, a service tag, a host name,
/// the Internet, or plain addresses that no name covers.
public struct FlowDestination: Sendable, Hashable, Codable, Comparable {
    /// What the name stands for.
    public enum Kind: String, Sendable, Hashable, Codable, Comparable {
        case resource, subnet, virtualNetwork, privateAddresses, publicEndpoint, serviceTag, host, internet, publicAddresses

        /// Whether the destination lies outside every virtual network (Internet, tags, names, public prefixes).
        public var isPublic: Bool { self == .publicEndpoint || self == .serviceTag || self == .host || self == .internet || self == .publicAddresses }

        public static func < (l: Kind, r: Kind) -> Bool { l.rank < r.rank }
        private var rank: Int {
            switch self {
            case .resource: 0
            case .subnet: 1
            case .virtualNetwork: 2
            case .privateAddresses: 3
            case .publicEndpoint: 4
            case .serviceTag: 5
            case .host: 6
            case .publicAddresses: 7
            case .internet: 8
            }
        }
    }
    /// The name shown (`spoke1/web`, `vm1/nic1`, `Storage`, `Internet`, `public addresses`).
    public var name: String
    /// Kind.
    public var kind: Kind
    /// The addresses the name covers here, short form (a long list is cut after four prefixes with a count).
    public var addresses: String

    /// Creates a destination.
    public init(name: String, kind: Kind, addresses: String) {
        self.name = name
        self.kind = kind
        self.addresses = addresses
    }

    public static func < (l: FlowDestination, r: FlowDestination) -> Bool {
        (l.kind, l.name.lowercased(), l.addresses) < (r.kind, r.name.lowercased(), r.addresses)
    }

    /// `name (addresses)`, or the name alone when the addresses add nothing.
    public var text: String { addresses.isEmpty || addresses == name ? name : "\(name) (\(addresses))" }
}

/// One folded flow: one source, one named destination, every protocol and port between them merged.
public struct FlowRow: Sendable, Hashable, Codable, Comparable {
    /// The source's name (`vnet/subnet`, `internet`, `vpn-client`, a NIC).
    public var source: String
    /// Where the packets go.
    public var destination: FlowDestination
    /// Protocol/ports pairs such as `Tcp/443` or `Udp/53 from ports 1024-65535`, sorted.
    public var services: [String]

    /// Creates a row.
    public init(source: String, destination: FlowDestination, services: [String]) {
        self.source = source
        self.destination = destination
        self.services = services
    }

    public static func < (l: FlowRow, r: FlowRow) -> Bool {
        (l.source, l.destination) < (r.source, r.destination)
    }
}

/// Folds raw packet sets back into names: NIC and private-endpoint addresses into resources, whole subnets and
/// virtual networks into their names, real service-tag prefixes into the tags the estate's rules mention,
/// symbolic atoms into tag and host names, and all public space into `Internet`.
public struct FlowFolder: Sendable {
    struct NamedEndpoint: Sendable { var name: String; var address: IPv4Address }
    struct NamedSubnet: Sendable { var name: String; var ips: IntervalSet; var endpoints: [NamedEndpoint] }
    struct NamedNetwork: Sendable { var name: String; var ips: IntervalSet; var subnets: [NamedSubnet] }
    struct NamedTag: Sendable { var name: String; var ips: IntervalSet }

    let networks: [NamedNetwork]
    let tags: [NamedTag]
    /// Single addresses and pools with a name outside the subnets: public fronts, the platform addresses,
    /// point-to-site pools.
    let wellKnown: [(name: String, kind: FlowDestination.Kind, ips: IntervalSet)]

    /// The names of one compiled model.
    public init(model: NetworkModel) {
        var subnetsByNetwork: [ResourceID: [NamedSubnet]] = [:]
        let endpointsBySubnet = Dictionary(grouping: model.endpoints.values, by: \.subnet)
        for id in model.subnetOrder {
            guard let subnet = model.subnets[id] else { continue }
            let endpoints = (endpointsBySubnet[id] ?? []).sorted { $0.address < $1.address }
                .map { NamedEndpoint(name: $0.displayName, address: $0.address) }
            subnetsByNetwork[subnet.virtualNetwork, default: []].append(
                NamedSubnet(name: subnet.displayName, ips: IntervalSet(prefixes: subnet.prefixes), endpoints: endpoints))
        }
        networks = model.virtualNetworks.values.sorted { $0.id < $1.id }.map { vnet in
            NamedNetwork(name: vnet.name, ips: IntervalSet(prefixes: vnet.addressSpace.filter { $0.length > 0 }),
                         subnets: (subnetsByNetwork[vnet.id] ?? []).sorted { ($0.ips.first ?? 0, $0.name) < ($1.ips.first ?? 0, $1.name) })
        }
        var known: [(name: String, kind: FlowDestination.Kind, ips: IntervalSet)] = [
            ("Azure platform", .privateAddresses, IntervalSet(address: .azureHost)),
            ("instance metadata", .privateAddresses, IntervalSet(address: .instanceMetadata)),
        ]
        for (address, front) in model.publicFronts.sorted(by: { $0.key < $1.key }) {
            known.append(("\(front.resource.name) (public IP)", .publicEndpoint, IntervalSet(address: address)))
        }
        if !model.vpnClientPools.isEmpty { known.append(("point-to-site client pool", .privateAddresses, IntervalSet(prefixes: model.vpnClientPools))) }
        // Load balancer frontends and on-premises sites (docs/semantics.md#load-balancers, #on-premises-networks).
        var frontends: Set<IPv4Address> = []
        for path in model.loadBalancerPaths() where frontends.insert(path.frontend).inserted {
            known.append(("\(path.loadBalancer.name) (load balancer\(path.isPublic ? ", public IP" : ""))", path.isPublic ? .publicEndpoint : .privateAddresses,
                          IntervalSet(address: path.frontend)))
        }
        let gatewayVNets = Set(model.graph.all(VirtualNetworkGateway.self).compactMap { $0.ipConfigurations.compactMap(\.subnet).first?.parent }).sorted()
        for vnet in gatewayVNets {
            for site in model.graph.onPremisesSites(gatewayVirtualNetwork: vnet) {
                let prefixes = site.prefixes.filter { $0.length > 0 }
                if !prefixes.isEmpty { known.append(("on-premises \(site.name)", .privateAddresses, IntervalSet(prefixes: prefixes))) }
            }
        }
        wellKnown = known
        // Loaded tags the estate mentions, largest first, so `AzureCloud` wins over the regional tags inside it.
        var tags: [NamedTag] = []
        for name in NetworkModelBuilder(graph: model.graph, options: model.options).mentionedTags().sorted() where !ServiceTagCatalog.computedTags.contains(name.lowercased()) {
            guard let entry = model.tags.catalog.entry(name) else { continue }
            let ips = entry.addresses.intersection(WellKnownRanges.publicUnicast)
            if !ips.isEmpty && !tags.contains(where: { $0.name.lowercased() == name.lowercased() }) { tags.append(NamedTag(name: name, ips: ips)) }
        }
        self.tags = tags.sorted { ($1.ips.count, $0.name) < ($0.ips.count, $1.name) }
    }

    /// The named parts of `set`, in a stable order; together they cover `set` exactly.
    public func destinations(_ set: AddressSet) -> [FlowDestination] { regions(set).map(\.name) }

    /// The named parts of `set` with the addresses each stands for.
    func regions(_ set: AddressSet) -> [(name: FlowDestination, addresses: AddressSet)] {
        var out: [(name: FlowDestination, addresses: AddressSet)] = []
        func add(_ name: String, _ kind: FlowDestination.Kind, _ ips: IntervalSet, shown: String? = nil) {
            out.append((FlowDestination(name: name, kind: kind, addresses: shown ?? Self.short(ips)), AddressSet(ips: ips)))
        }
        var ips = set.ips
        for network in networks where ips.intersects(network.ips) {
            let covered = ips.intersection(network.ips)
            ips = ips.subtracting(network.ips)
            if covered == network.ips {
                add(network.name, .virtualNetwork, covered)
                continue
            }
            var rest = covered
            for subnet in network.subnets where rest.intersects(subnet.ips) {
                var part = rest.intersection(subnet.ips)
                rest = rest.subtracting(subnet.ips)
                if part == subnet.ips {
                    add(subnet.name, .subnet, part)
                    continue
                }
                for endpoint in subnet.endpoints where part.contains(endpoint.address.value) {
                    add(endpoint.name, .resource, IntervalSet(address: endpoint.address))
                    part = part.subtracting(IntervalSet(address: endpoint.address))
                }
                if !part.isEmpty { add("\(subnet.name) (part)", .subnet, part) }
            }
            if !rest.isEmpty { add("\(network.name) (outside its subnets)", .virtualNetwork, rest) }
        }
        var publicIPs = ips.intersection(WellKnownRanges.publicUnicast)
        ips = ips.subtracting(WellKnownRanges.publicUnicast)
        var atoms = set.atoms
        if publicIPs == WellKnownRanges.publicUnicast && atoms == .all {
            out.append((FlowDestination(name: "Internet", kind: .internet, addresses: "every public address and name"),
                        AddressSet(ips: publicIPs, atoms: .all)))
            publicIPs = .empty
            atoms = .none
        }
        for known in wellKnown {
            let hit = ips.union(publicIPs).intersection(known.ips)
            if hit.isEmpty { continue }
            add(known.name, known.kind, hit)
            ips = ips.subtracting(known.ips)
            publicIPs = publicIPs.subtracting(known.ips)
        }
        for tag in tags where !publicIPs.isEmpty && publicIPs.isSuperset(of: tag.ips) {
            add(tag.name, .serviceTag, tag.ips, shown: "\(tag.ips.prefixes.count) prefixes")
            publicIPs = publicIPs.subtracting(tag.ips)
        }
        if !publicIPs.isEmpty {
            if publicIPs.count > WellKnownRanges.publicUnicast.count / 2 {
                add("Internet except \(Self.short(WellKnownRanges.publicUnicast.subtracting(publicIPs)))", .internet, publicIPs, shown: "")
            } else {
                add("public addresses", .publicAddresses, publicIPs)
            }
        }
        switch atoms {
        case .only(let members):
            for atom in members.sorted() {
                out.append((FlowDestination(name: atom.name, kind: atom.kind == .tag ? .serviceTag : .host, addresses: ""), .atom(atom)))
            }
        case .allExcept(let missing):
            let except = missing.isEmpty ? "" : " except " + missing.sorted().map(\.name).joined(separator: ", ")
            out.append((FlowDestination(name: "any public name\(except)", kind: .host, addresses: ""), AddressSet(atoms: atoms)))
        }
        if !ips.isEmpty { add("private addresses", .privateAddresses, ips) }
        return out
    }

    /// The set as at most four prefixes, then a count.
    static func short(_ ips: IntervalSet) -> String {
        let prefixes = ips.prefixes
        if prefixes.count <= 4 { return ips.addressText }
        return prefixes.prefix(3).map { $0.length == 32 ? $0.network.description : $0.description }.joined(separator: ",")
            + " and \(prefixes.count - 3) more prefixes"
    }

    /// Folded rows of what `source` may send: one row per named destination, services merged.
    public func rows(source: String, _ allowed: PacketSet) -> [FlowRow] {
        fold(source: source, allowed, keepPackets: false).map(\.row)
    }

    /// Folded rows with the packets each row stands for (for witnesses and exactness checks); the row sets
    /// partition `allowed`.
    public func rowsWithPackets(source: String, _ allowed: PacketSet) -> [(row: FlowRow, packets: PacketSet)] {
        fold(source: source, allowed, keepPackets: true)
    }

    private struct Service: Hashable { var protocols: ProtocolSet; var ports: IntervalSet; var sourcePorts: IntervalSet }

    /// Services merged: per protocol and source ports, the union of destination ports; then protocols with the
    /// same ports share an entry (`Tcp,Udp/443`, or `*/*` for everything).
    private static func merged(_ services: [Service]) -> [Service] {
        var ports: [IntervalSet: [IPProtocol: [IntervalSet.Interval]]] = [:]
        for service in services {
            for proto in service.protocols.members { ports[service.sourcePorts, default: [:]][proto, default: []] += service.ports.intervals }
        }
        var result: [Service] = []
        for (sourcePorts, byProtocol) in ports {
            var groups: [IntervalSet: [IPProtocol]] = [:]
            for (proto, intervals) in byProtocol { groups[IntervalSet(intervals), default: []].append(proto) }
            for (set, protocols) in groups { result.append(Service(protocols: ProtocolSet(protocols), ports: set, sourcePorts: sourcePorts)) }
        }
        return result
    }

    private static func text(_ service: Service) -> String {
        service.protocols.text + "/" + service.ports.portText
            + (service.sourcePorts == .allPorts ? "" : " from ports \(service.sourcePorts.portText)")
    }

    /// Who reaches each resource in `resources`: per source, the services whose packets reach its address.
    func exposure(of resources: [ResourceReach], from sources: [SourceReach]) -> [ResourceExposure] {
        let addresses = resources.map(\.address.value)
        var services: [[String: [Service]]] = Array(repeating: [:], count: resources.count)
        for source in sources {
            for cube in source.allowed.cubes {
                let service = Service(protocols: cube.protocols, ports: cube.destinationPorts, sourcePorts: cube.sourcePorts)
                for interval in cube.destination.ips.intervals {
                    var index = addresses.partitionIndex { $0 < interval.lower }
                    while index < addresses.count, addresses[index] <= interval.upper {
                        services[index][source.source, default: []].append(service)
                        index += 1
                    }
                }
            }
        }
        return resources.enumerated().map { i, resource in
            ResourceExposure(resource: resource.resource, address: resource.address, sources: services[i].map {
                ResourceExposure.ExposureSource(source: $0.key, services: Self.merged($0.value).map(Self.text).sorted())
            }.sorted { $0.source < $1.source })
        }
    }

    private func fold(source: String, _ allowed: PacketSet, keepPackets: Bool) -> [(row: FlowRow, packets: PacketSet)] {
        var groups: [Service: [PacketCube]] = [:]
        var order: [Service] = []
        for cube in allowed.cubes {
            let key = Service(protocols: cube.protocols, ports: cube.destinationPorts, sourcePorts: cube.sourcePorts)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(cube)
        }
        var services: [FlowDestination: [Service]] = [:]
        var regionOf: [FlowDestination: AddressSet] = [:]
        var packets: [FlowDestination: PacketSet] = [:]
        for key in order {
            let cubes = groups[key] ?? []
            var destination = AddressSet.empty
            var intervals: [IntervalSet.Interval] = []
            for cube in cubes {
                intervals += cube.destination.ips.intervals
                destination.atoms = destination.atoms.union(cube.destination.atoms)
            }
            destination.ips = IntervalSet(intervals)
            for (name, region) in regions(destination) {
                services[name, default: []].append(key)
                regionOf[name] = region
                guard keepPackets else { continue }
                // Cubes of `allowed` are disjoint, so their parts inside one region are too.
                var part = packets[name] ?? .empty
                for cube in cubes {
                    var narrowed = cube
                    narrowed.destination = cube.destination.intersection(region)
                    if !narrowed.isEmpty { part = part.appendingDisjoint(PacketSet(narrowed)) }
                }
                packets[name] = part
            }
        }
        var canonical = services.mapValues { Set(Self.merged($0)) }
        // Public rows that share their services and together cover most of the Internet read as one row.
        let publicNames = canonical.keys.filter {
            $0.kind.isPublic || (regionOf[$0].map { WellKnownRanges.publicUnicast.isSuperset(of: $0.ips) && $0.atoms.isEmpty } ?? false)
        }
        for (shared, names) in Dictionary(grouping: publicNames, by: { canonical[$0] ?? [] }) where names.count > 1 {
            var union = AddressSet.empty
            for name in names { union = union.union(regionOf[name] ?? .empty) }
            guard case .allExcept(let missingAtoms) = union.atoms,
                  union.ips.intersection(WellKnownRanges.publicUnicast).count > WellKnownRanges.publicUnicast.count / 2 else { continue }
            let missing = WellKnownRanges.publicUnicast.subtracting(union.ips)
            var except: [String] = []
            if !missing.isEmpty { except.append(Self.short(missing)) }
            except += missingAtoms.sorted().map(\.name)
            let merged = FlowDestination(name: except.isEmpty ? "Internet" : "Internet except \(except.joined(separator: ", "))", kind: .internet,
                                         addresses: except.isEmpty ? "every public address and name" : "")
            var mergedPackets = PacketSet.empty
            // Witnesses come from the first cube: plain Internet space first, the estate's own public IPs last.
            for name in names.sorted(by: { ($0.kind == .publicEndpoint ? 1 : 0, $0) < ($1.kind == .publicEndpoint ? 1 : 0, $1) }) {
                canonical[name] = nil
                if keepPackets { mergedPackets = mergedPackets.appendingDisjoint(packets[name] ?? .empty) }
                packets[name] = nil
            }
            canonical[merged] = shared
            packets[merged] = mergedPackets
        }
        return canonical.map { name, merged in
            (FlowRow(source: source, destination: name, services: merged.map(Self.text).sorted()), packets[name] ?? .empty)
        }.sorted { $0.row < $1.row }
    }
}

extension PacketSet {
    /// One concrete packet of the set, chosen to read naturally: TCP before UDP, port 443 or the lowest port,
    /// source port 50000 when allowed, the first address of each side; nil when the set is empty.
    public var witness: Packet? {
        guard let cube = cubes.first else { return nil }
        return cube.witness
    }
}

extension PacketCube {
    /// One concrete packet of the cube (see `PacketSet.witness`).
    public var witness: Packet? {
        func pick(_ set: AddressSet) -> Address? {
            if let first = set.ips.first { return .ip(IPv4Address(first)) }
            switch set.atoms {
            case .only(let members): return members.sorted().first.map { .atom($0) }
            case .allExcept(let missing):
                var index = 0
                while missing.contains(.host("name\(index).example.com")) { index += 1 }
                return .atom(.host("name\(index).example.com"))
            }
        }
        guard let source = pick(self.source), let destination = pick(self.destination),
              let proto = [IPProtocol.tcp, .udp, .icmp].first(where: protocols.contains) ?? protocols.members.first,
              let firstPort = destinationPorts.first, let firstSourcePort = sourcePorts.first else { return nil }
        let port = destinationPorts.contains(443) ? 443 : Int(firstPort)
        let sourcePort = sourcePorts.contains(50000) ? 50000 : Int(firstSourcePort)
        return Packet(source: source, destination: destination, protocol: proto, sourcePort: sourcePort, destinationPort: port)
    }
}

/// Who reaches one private resource, one row per source with services merged.
public struct ResourceExposure: Sendable, Hashable, Codable {
    /// The resource's name and address.
    public var resource: String
    /// Its private IP.
    public var address: IPv4Address
    /// `source: services` entries, by source name.
    public var sources: [ExposureSource]

    /// One source of a resource.
    public struct ExposureSource: Sendable, Hashable, Codable {
        /// The source's name.
        public var source: String
        /// Protocol/ports, merged and sorted.
        public var services: [String]
    }
}

/// `reach` folded for people: a summary first (what each source reaches outside the virtual networks, who
/// reaches each private resource), then one row per source and named destination with services merged.
public struct ReachSummary: Sendable, Hashable, Codable {
    /// Per source, the destinations outside every virtual network (public, tags, names).
    public var outside: [FlowRow]
    /// Host-name grants per source (firewall application rules, managed-network FQDN rules).
    public var names: [String: [FQDNGrant]]
    /// Per private resource, who reaches it.
    public var exposure: [ResourceExposure]
    /// Every folded row, by source then destination.
    public var flows: [FlowRow]
    /// Per source, its addresses and notes, by source name.
    public var sources: [SourceHeader]
    /// Model-wide notes.
    public var notes: [String]

    /// A source's addresses and notes.
    public struct SourceHeader: Sendable, Hashable, Codable {
        public var source: String
        public var addresses: String
        public var notes: [String]
    }

    /// A source's host-name grants, one entry per pattern with its protocols merged (several rules may grant the
    /// same name), sorted by pattern.
    public func nameEntries(for source: String) -> [(pattern: String, protocols: [String])] {
        var protocolsByPattern: [String: [String]] = [:]
        for grant in names[source] ?? [] { protocolsByPattern["\(grant.pattern)", default: []] += grant.protocols }
        return protocolsByPattern.keys.sorted().map { pattern in
            var seen: Set<String> = []
            return (pattern, protocolsByPattern[pattern, default: []].filter { seen.insert($0).inserted })
        }
    }

    /// Deterministic text: the two summaries, then the folded rows per source.
    public var text: String {
        var lines: [String] = ["Outside the virtual networks:"]
        let outsideBySource = Dictionary(grouping: outside, by: \.source)
        for header in sources {
            let rows = outsideBySource[header.source] ?? []
            var parts = rows.map { "\($0.destination.name) (\($0.services.joined(separator: ", ")))" }
            parts += nameEntries(for: header.source).map { "name \($0.pattern) (\($0.protocols.joined(separator: ",")))" }
            lines.append("  \(header.source): \(parts.isEmpty ? "nothing" : parts.joined(separator: "; "))")
        }
        lines.append("Who reaches each private resource:")
        for resource in exposure {
            let parts = resource.sources.map { "\($0.source) (\($0.services.joined(separator: ", ")))" }
            lines.append("  \(resource.resource) (\(resource.address)): \(parts.isEmpty ? "no source" : parts.joined(separator: "; "))")
        }
        lines.append("")
        let flowsBySource = Dictionary(grouping: flows, by: \.source)
        for header in sources {
            lines.append("from \(header.source) (\(header.addresses))")
            let rows = flowsBySource[header.source] ?? []
            let grants = names[header.source] ?? []
            if rows.isEmpty && grants.isEmpty { lines.append("  (nothing)") }
            for row in rows { lines.append("  → \(row.destination.text)  \(row.services.joined(separator: ", "))") }
            for grant in grants {
                let except = grant.except.isEmpty ? "" : " except \(grant.except.map(\.text).joined(separator: ","))"
                lines.append("  → name \(grant.pattern)\(except)  \(grant.protocols.joined(separator: ","))  [\(grant.rule)]")
            }
            for note in header.notes { lines.append("  note: \(note)") }
        }
        for note in notes { lines.append("note: \(note)") }
        return lines.joined(separator: "\n")
    }
}

extension ReachReport {
    /// This report folded into names with `folder` (built from the same model).
    public func summary(_ folder: FlowFolder) -> ReachSummary {
        var flows: [FlowRow] = []
        var names: [String: [FQDNGrant]] = [:]
        for source in sources {
            flows += folder.rows(source: source.source, source.allowed)
            if !source.fqdnGrants.isEmpty { names[source.source] = source.fqdnGrants }
        }
        let exposure = folder.exposure(of: resources, from: sources)
        return ReachSummary(
            outside: flows.filter { $0.destination.kind.isPublic }, names: names, exposure: exposure, flows: flows,
            sources: sources.map { .init(source: $0.source, addresses: $0.sourceAddresses, notes: $0.notes) }, notes: notes)
    }
}
