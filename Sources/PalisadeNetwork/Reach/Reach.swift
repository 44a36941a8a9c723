import Foundation
import PalisadeModel

/// One row of a reach table: destinations × protocols × ports.
public struct ReachRow: Sendable, Hashable, Codable, Comparable {
    /// Destinations (prefixes, tags, names) or sources, depending on the table.
    public var addresses: String
    /// Protocols (`*` or `Tcp,Udp`).
    public var protocols: String
    /// Destination ports.
    public var ports: String
    /// Source ports, when restricted (`*` otherwise).
    public var sourcePorts: String

    public static func < (l: ReachRow, r: ReachRow) -> Bool {
        (l.addresses, l.protocols, l.ports, l.sourcePorts) < (r.addresses, r.protocols, r.ports, r.sourcePorts)
    }
}

/// Everything one source may send (exact at the IP level; application-rule grants listed separately).
public struct SourceReach: Sendable, Hashable, Codable {
    /// `vnet/subnet`, `internet`, `vpn-client`, `managed:<workspace>`.
    public var source: String
    /// The source addresses the result holds for.
    public var sourceAddresses: String
    /// Allowed packets, in terms of the packets the source sends.
    public var allowed: PacketSet
    /// Rows for display.
    public var rows: [ReachRow]
    /// Host-name grants through firewall application rules or managed FQDN rules (docs/semantics.md#firewall-application-rules, #firewall-fqdn-wildcards, #managed-network-fqdn-rules).
    public var fqdnGrants: [FQDNGrant]
    /// Caveats.
    public var notes: [String]
}

/// Who can reach one private resource.
public struct ResourceReach: Sendable, Hashable, Codable {
    /// The resource (NIC/VM or private endpoint) and its address.
    public var resource: String
    /// Its private IP.
    public var address: IPv4Address
    /// Per source: protocols and ports.
    public var sources: [ReachRow]
}

/// The answer to `reach`.
public struct ReachReport: Sendable, Hashable, Codable {
    /// Per source, sorted by source name.
    public var sources: [SourceReach]
    /// Per private resource, sorted by address.
    public var resources: [ResourceReach]
    /// Model-wide notes (compile notes and decisions in force).
    public var notes: [String]

    /// Deterministic text tables.
    public var text: String {
        var lines: [String] = []
        for source in sources {
            lines.append("from \(source.source) (\(source.sourceAddresses))")
            if source.rows.isEmpty && source.fqdnGrants.isEmpty { lines.append("  (nothing)") }
            for row in source.rows {
                let sport = row.sourcePorts == "*" ? "" : " from ports \(row.sourcePorts)"
                lines.append("  → \(row.addresses)  \(row.protocols)/\(row.ports)\(sport)")
            }
            for grant in source.fqdnGrants {
                let except = grant.except.isEmpty ? "" : " except \(grant.except.map(\.text).joined(separator: ","))"
                lines.append("  → name \(grant.pattern)\(except)  \(grant.protocols.joined(separator: ","))  [\(grant.rule)]")
            }
            for note in source.notes { lines.append("  note: \(note)") }
        }
        lines.append("")
        for resource in resources {
            lines.append("to \(resource.resource) (\(resource.address))")
            if resource.sources.isEmpty { lines.append("  (no source)") }
            for row in resource.sources { lines.append("  ← \(row.addresses)  \(row.protocols)/\(row.ports)") }
        }
        for note in notes { lines.append("note: \(note)") }
        return lines.joined(separator: "\n")
    }

    /// Deterministic JSON (sorted keys, pretty printed), without the raw packet sets.
    public func json() throws -> String {
        struct Row: Codable { var source: String; var sourceAddresses: String; var allowed: [ReachRow]; var fqdnGrants: [FQDNGrant]; var notes: [String] }
        struct Out: Codable { var sources: [Row]; var resources: [ResourceReach]; var notes: [String] }
        let out = Out(sources: sources.map { Row(source: $0.source, sourceAddresses: $0.sourceAddresses, allowed: $0.rows, fqdnGrants: $0.fqdnGrants, notes: $0.notes) },
                      resources: resources, notes: notes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(out), as: UTF8.self)
    }
}

/// Per-source results written by concurrent workers, each to its own index.
private final class ReachSlots: @unchecked Sendable {
    private var items: [SourceReach?]
    private let lock = NSLock()

    init(count: Int) { items = Array(repeating: nil, count: count) }

    func store(_ value: SourceReach, at index: Int) {
        lock.lock()
        items[index] = value
        lock.unlock()
    }

    var values: [SourceReach] {
        lock.lock()
        defer { lock.unlock() }
        return items.compactMap { $0 }
    }
}

extension Array where Element == UInt32 {
    /// The first index whose element does not satisfy `belongsBefore` (binary search on a sorted array).
    func partitionIndex(_ belongsBefore: (UInt32) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if belongsBefore(self[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension PacketSet {
    /// Display rows: cubes grouped by protocol and ports, destinations merged.
    var destinationRows: [ReachRow] {
        struct Key: Hashable { var protocols: ProtocolSet; var ports: IntervalSet; var sourcePorts: IntervalSet }
        // Destinations are gathered per group and normalised once (pairwise unions would be quadratic).
        var intervals: [Key: [IntervalSet.Interval]] = [:]
        var atoms: [Key: AtomSet] = [:]
        for cube in cubes {
            let key = Key(protocols: cube.protocols, ports: cube.destinationPorts, sourcePorts: cube.sourcePorts)
            intervals[key, default: []] += cube.destination.ips.intervals
            atoms[key, default: .none] = atoms[key, default: .none].union(cube.destination.atoms)
        }
        return intervals.map { key, list in
            ReachRow(addresses: AddressSet(ips: IntervalSet(list), atoms: atoms[key, default: .none]).text, protocols: key.protocols.text,
                     ports: key.ports.portText, sourcePorts: key.sourcePorts.portText)
        }.sorted()
    }
}

extension NetworkModel {
    /// How VPN clients resolve names, in words (docs/semantics.md#vpn-client-dns).
    static func describe(_ dns: NetworkOptions.VPNClientDNS) -> String {
        switch dns {
        case .publicResolver: "the client's public resolver, which does not see private DNS zones (docs/semantics.md#vpn-client-dns)"
        case .hostsFile: "a hosts file with every private endpoint name (docs/semantics.md#hosts-file)"
        case .virtualNetworkResolver: "a resolver in the gateway's virtual network (docs/semantics.md#vpn-client-dns)"
        }
    }

    /// Exact egress of every source (each subnet, each NIC with its own NSG, `internet`, `vpn-client`, each
    /// managed network) and, per
    /// private resource, who reaches it. Pass `source` to restrict to one source.
    /// - Complexity: one symbolic forwarding pass per source.
    public func reach(from source: TraceSource? = nil) -> ReachReport {
        let sources: [TraceSource] = source.map { [$0] } ?? reachSources
        let results = reach(sources: sources)
        // Who reaches each private resource (NICs and private endpoints): walk each cube's destination
        // intervals over the sorted endpoint addresses instead of intersecting every pair.
        let targets = endpoints.values.filter { $0.kind == .networkInterface || $0.kind == .privateEndpoint }
            .sorted { $0.address < $1.address }
        let addresses = targets.map(\.address.value)
        var rowsByTarget: [[ReachRow]] = Array(repeating: [], count: targets.count)
        for r in results {
            var hits: [Int: [PacketCube]] = [:]
            for cube in r.allowed.cubes {
                for interval in cube.destination.ips.intervals {
                    var index = addresses.partitionIndex { $0 < interval.lower }
                    while index < addresses.count, addresses[index] <= interval.upper {
                        var narrowed = cube
                        narrowed.destination = .address(targets[index].address)
                        hits[index, default: []].append(narrowed)
                        index += 1
                    }
                }
            }
            for (index, cubes) in hits {
                var set = PacketSet.empty
                for cube in cubes { set = set.appendingDisjoint(PacketSet(cube)) }
                for row in set.destinationRows {
                    rowsByTarget[index].append(ReachRow(addresses: r.source, protocols: row.protocols, ports: row.ports, sourcePorts: row.sourcePorts))
                }
            }
        }
        let resources = targets.enumerated().map { i, endpoint in
            ResourceReach(resource: endpoint.displayName, address: endpoint.address, sources: rowsByTarget[i].sorted())
        }
        var modelNotes = notes
        modelNotes.append("tags: \(tags.catalog.isLoaded ? "real prefixes (changeNumber \(tags.catalog.changeNumber ?? 0))" : "symbolic atoms; exact when every rule names tags") ")
        modelNotes.append("Internet tag = public unicast IPv4 plus every symbolic atom (docs/semantics.md#internet-tag)")
        return ReachReport(sources: results, resources: resources, notes: modelNotes)
    }

    /// Every source `reach` reports on: each subnet, each NIC with its own NSG, `internet`, `vpn-client` (when
    /// the estate has point-to-site) and each managed network.
    public var reachSources: [TraceSource] {
        // A virtual hub's routers are not sources (docs/semantics.md#virtual-wan-hub-routing).
        subnetOrder.filter { id in !(subnets[id]?.prefixes.allSatisfy { $0.length == 32 && isHubRouter($0.network) } ?? false) }
            .map { TraceSource.subnet($0) }
            + endpoints.values.filter { $0.kind == .networkInterface && $0.networkSecurityGroup != nil }
                .sorted { $0.address < $1.address }.map { TraceSource.address($0.address) }
            + [.internet] + (vpnClientPools.isEmpty ? [] : [.vpnClient])
            + graph.all(MachineLearningWorkspace.self).filter { $0.managedNetwork.isolationMode != .disabled }.map { .managedNetwork($0.id) }
    }

    /// The egress of `sources`, sorted by source name. With `destinations`, only packets the source sends toward
    /// those addresses are followed (exactly `reach ∩ destinations`, since forwarding never rewrites a private
    /// source's destination), and host-name grants are left out; the Internet, VPN and managed-network sources
    /// ignore the restriction.
    public func reach(sources: [TraceSource], toward destinations: AddressSet? = nil) -> [SourceReach] {
        let guarded = Dictionary(grouping: endpoints.values.filter { $0.networkSecurityGroup != nil }, by: \.subnet)
        // Sources are independent, so they are spread over the cores; each worker has its own forwarder (and
        // caches). The result does not depend on the schedule: rows are sorted by source name afterwards.
        let slots = ReachSlots(count: sources.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, sources.count))
        let memo = IntervalSetMemo()
        let partitions = NSGPartitionCache()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            IntervalSetMemo.$current.withValue(memo) {
                let forwarder = SymbolicForwarder(model: self, partitions: partitions)
                for index in stride(from: worker, to: sources.count, by: workers) {
                    slots.store(reach(sources[index], forwarder: forwarder, guardedNICs: guarded, toward: destinations), at: index)
                }
            }
        }
        return slots.values.sorted { $0.source < $1.source }
    }

    private func reach(_ source: TraceSource, forwarder: SymbolicForwarder, guardedNICs: [ResourceID: [Endpoint]],
                       toward destinations: AddressSet? = nil) -> SourceReach {
        switch source {
        case .subnet(let id):
            guard let subnet = subnets[id] else { return empty("?") }
            // Source addresses: the subnet minus NICs that have their own NSG (they are separate sources).
            var sources = IntervalSet(prefixes: subnet.prefixes)
            for e in guardedNICs[id] ?? [] { sources = sources.subtracting(IntervalSet(address: e.address)) }
            let allowed = forwarder.fromSubnet(subnet, sources: sources, toward: destinations ?? .all)
            var notes: [String] = []
            if sources != IntervalSet(prefixes: subnet.prefixes) { notes.append("NICs with their own NSG are excluded; reach them with --from <nic>") }
            return SourceReach(source: subnet.displayName, sourceAddresses: AddressSet(ips: sources).text, allowed: allowed,
                               rows: destinations == nil ? allowed.destinationRows : [],
                               fqdnGrants: destinations == nil ? fqdnGrants(for: subnet, sources: sources, forwarder: forwarder) : [], notes: notes)
        case .address(let ip):
            guard let subnet = subnet(containing: ip) else { return empty(ip.description) }
            let allowed = forwarder.fromSubnet(subnet, sources: IntervalSet(address: ip), endpoint: endpoints[ip], toward: destinations ?? .all)
            return SourceReach(source: endpoints[ip]?.displayName ?? ip.description, sourceAddresses: ip.description, allowed: allowed,
                               rows: destinations == nil ? allowed.destinationRows : [],
                               fqdnGrants: destinations == nil ? fqdnGrants(for: subnet, sources: IntervalSet(address: ip), endpoint: endpoints[ip], forwarder: forwarder) : [], notes: [])
        case .vpnClient:
            guard let vnet = gatewayVirtualNetwork,
                  let gatewaySubnet = subnetOrder.compactMap({ subnets[$0] }).filter({ $0.virtualNetwork == vnet })
                    .sorted(by: { ($0.id.name.lowercased() == "gatewaysubnet" ? 0 : 1, $0.id) < ($1.id.name.lowercased() == "gatewaysubnet" ? 0 : 1, $1.id) }).first
            else { return empty("vpn-client") }
            var state = SymbolicForwarder.State()
            state.fromGateway = true
            let pools = IntervalSet(prefixes: vpnClientPools)
            let tunnel = PacketCube(source: AddressSet(ips: pools), destination: AddressSet(ips: IntervalSet(prefixes: vpnClientRoutes)))
            let allowed = forwarder.forward(PacketSet(tunnel), at: gatewaySubnet, state: state, depth: 0)
            return SourceReach(source: "vpn-client", sourceAddresses: AddressSet(ips: pools).text, allowed: allowed,
                               rows: allowed.destinationRows, fqdnGrants: [], notes: ["name resolution: " + Self.describe(options.vpnClientDNS)])
        case .internet:
            return internetReach(forwarder)
        case .managedNetwork(let id):
            return managedReach(id)
        }
    }

    private func empty(_ name: String) -> SourceReach {
        SourceReach(source: name, sourceAddresses: "", allowed: .empty, rows: [], fqdnGrants: [], notes: ["unknown source"])
    }

    /// Public fronts only (docs/semantics.md#public-fronts): NIC public IPs (docs/semantics.md#nsg-translated-addresses), Bastion on 443, firewall DNAT rules (docs/semantics.md#firewall-dnat).
    private func internetReach(_ forwarder: SymbolicForwarder) -> SourceReach {
        let internetSources = AddressSet(ips: WellKnownRanges.publicUnicast)
        var allowed = PacketSet.empty
        var notes: [String] = []
        for (pip, front) in publicFronts.sorted(by: { $0.key < $1.key }) {
            switch front.kind {
            case .networkInterface:
                guard let privateIP = front.privateAddress, let subnet = subnet(containing: privateIP) else { continue }
                let inner = PacketSet(PacketCube(source: internetSources, destination: .address(privateIP)))
                let delivered = forwarder.deliverPrivate(inner, in: subnet.virtualNetwork, state: .init())
                allowed = allowed.union(delivered.mapCubes { var c = $0; c.destination = .address(pip); return c })
            case .virtualNetworkGateway:
                for listener in gatewayListeners(front.resource) {
                    allowed = allowed.union(PacketSet(PacketCube(source: internetSources, destination: .address(pip),
                                                                  protocols: ProtocolSet([listener.protocol]),
                                                                  destinationPorts: IntervalSet(UInt32(listener.port), UInt32(listener.port)))))
                }
            case .bastionHost:
                var set = PacketSet(PacketCube(source: internetSources, destination: .address(pip), protocols: ProtocolSet([.tcp]),
                                               destinationPorts: IntervalSet(443, 443)))
                if let bastion = endpoints.values.first(where: { $0.resource == front.resource }), let subnet = subnets[bastion.subnet],
                   let nsg = subnet.networkSecurityGroup, let group = securityGroup(nsg, in: subnet.id, .inbound) {
                    let inner = set.mapCubes { var c = $0; c.destination = .address(bastion.address); return c }
                    set = group.allowed(inner).mapCubes { var c = $0; c.destination = .address(pip); return c }
                }
                allowed = allowed.union(set)
            case .azureFirewall:
                guard let fw = firewalls.first(where: { $0.id == front.resource }) else { continue }
                guard let fwSubnet = subnets[fw.subnet] else { continue }
                var remaining = PacketSet(PacketCube(source: internetSources, destination: .address(pip)))
                for rule in fw.natRules {
                    let hit = remaining.intersection(rule.match)
                    remaining = remaining.subtracting(rule.match)
                    guard !hit.isEmpty, let target = rule.translatedAddress else { continue }
                    notes.append("\(pip) DNAT \(rule.path) → \(target)")
                    // docs/semantics.md#firewall-dnat: translate (dst, port are constants), SNAT to the firewall (decision docs/semantics.md#firewall-dnat), forward,
                    // then map the delivered flows back onto the original packets.
                    let translated = hit.mapCubes { cube in
                        var c = cube
                        c.destination = .address(target)
                        if let port = rule.translatedPort { c.destinationPorts = IntervalSet(UInt32(port), UInt32(port)) }
                        return c
                    }
                    var state = SymbolicForwarder.State()
                    state.snat = fw.privateAddress
                    let delivered = forwarder.forward(translated, at: fwSubnet, state: state, depth: 0)
                    for cube in delivered.cubes {
                        allowed = allowed.union(hit.intersection(PacketCube(source: cube.source, protocols: cube.protocols, sourcePorts: cube.sourcePorts)))
                    }
                }
            default: continue
            }
        }
        // docs/semantics.md#load-balancers: public load balancer frontends forward to their healthy backends.
        if !forwarder.loadBalancerPaths.isEmpty {
            let (balanced, _) = forwarder.throughLoadBalancers(PacketSet(PacketCube(source: internetSources)), paths: forwarder.loadBalancerPaths,
                                                               in: nil, state: .init())
            allowed = allowed.union(balanced)
        }
        return SourceReach(source: "internet", sourceAddresses: "public unicast IPv4", allowed: allowed,
                           rows: allowed.destinationRows, fqdnGrants: [], notes: notes.sorted())
    }

    /// Application-rule grants of the firewalls this subnet routes through (docs/semantics.md#firewall-application-rules, #firewall-fqdn-wildcards): allow rules whose
    /// sources include the subnet, minus names an earlier deny application rule takes first.
    /// Host-name grants of firewall application rules (docs/semantics.md#firewall-application-rules, #firewall-fqdn-tags) for a source: only where the source's TCP
    /// packets to names actually reach the firewall's application stage (after its NSGs, routing and the
    /// network rules, docs/semantics.md#firewall-rule-order), and only for the protocols whose port gets there.
    private func fqdnGrants(for subnet: CompiledSubnet, sources: IntervalSet, endpoint: Endpoint? = nil,
                            forwarder: SymbolicForwarder) -> [FQDNGrant] {
        var grants: [FQDNGrant] = []
        let ports = forwarder.applicationPorts
        if ports.isEmpty { return [] }
        for (fw, undecided) in forwarder.applicationStageArrivals(subnet, sources: sources, endpoint: endpoint, ports: ports) {
            var denied: [FQDNPattern] = []
            // By index: most rules name other sources, and skipping one should not copy it.
            for ruleIndex in fw.applicationRules.indices where fw.applicationRules[ruleIndex].sources.ips.intersects(sources) {
                let rule = fw.applicationRules[ruleIndex]
                let reaching = rule.protocols.filter { p in
                    !undecided.intersection(PacketCube(source: rule.sources, protocols: ProtocolSet([.tcp]),
                                                       destinationPorts: IntervalSet(UInt32(p.port), UInt32(p.port)))).isEmpty
                }
                if reaching.isEmpty { continue }
                if rule.action == .deny { denied += rule.targets; continue }
                for target in rule.targets {
                    grants.append(FQDNGrant(pattern: target, except: denied.filter { $0.isCovered(by: target) || target.isCovered(by: $0) },
                                            protocols: reaching.map(\.description), rule: "\(fw.name): \(rule.path)"))
                }
                // docs/semantics.md#firewall-fqdn-tags: FQDN tags are listed by name (their documented names are matched by `trace`).
                for tag in rule.fqdnTags {
                    grants.append(FQDNGrant(pattern: FQDNPattern("fqdntag:\(tag)"), protocols: reaching.map(\.description),
                                            rule: "\(fw.name): \(rule.path)"))
                }
            }
        }
        return grants.sorted()
    }

    /// docs/semantics.md#managed-network-outbound-rules, #managed-network-fqdn-rules: the managed network's allowed egress.
    private func managedReach(_ id: ResourceID) -> SourceReach {
        guard let ws = graph.resource(id, as: MachineLearningWorkspace.self) else { return empty(id.name) }
        let name = "managed:\(ws.name)"
        var notes: [String] = []
        let targets = ManagedNetworkEngine.privateEndpointTargets(ws, graph: graph)
        if ws.managedNetwork.provisioned == false {
            notes.append("not provisioned yet: private endpoints don't exist (docs/semantics.md#managed-network-provisioning)")
        } else {
            notes += targets.map { "private endpoint to \($0.name)" }
        }
        if ws.managedNetwork.isolationMode == .allowInternetOutbound {
            return SourceReach(source: name, sourceAddresses: "managed compute", allowed: .all, rows: PacketSet.all.destinationRows,
                               fqdnGrants: [], notes: notes + ["AllowInternetOutbound: all outbound allowed (docs/semantics.md#managed-network-outbound-rules)"])
        }
        var remaining = PacketSet.all
        var allowed = PacketSet.empty
        for rule in ManagedNetworkEngine.userTagRules(ws) + ManagedNetworkEngine.requiredTags(region: ws.location) {
            let match = PacketSet(PacketCube(destination: tags.resolve(rule.tag), protocols: rule.protocols, destinationPorts: rule.ports))
            if rule.allow { allowed = allowed.union(remaining.intersection(match)) }
            remaining = remaining.subtracting(match)
        }
        var grants: [FQDNGrant] = []
        for rule in ManagedNetworkEngine.fqdnRules(ws) {
            if rule.usable {
                grants.append(FQDNGrant(pattern: rule.pattern, protocols: ["Http:80", "Https:443"], rule: rule.name))
            } else {
                notes.append("FQDN rule \(rule.name) (\(rule.pattern)) can't open Storage in approved-only mode (docs/semantics.md#managed-network-fqdn-rules)")
            }
        }
        return SourceReach(source: name, sourceAddresses: "managed compute", allowed: allowed, rows: allowed.destinationRows,
                           fqdnGrants: grants.sorted(), notes: notes)
    }
}
