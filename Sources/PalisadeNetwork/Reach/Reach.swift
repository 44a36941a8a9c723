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

/// A host-name grant (F17–F20, M11): names matching `pattern`, minus `except`, on the application protocols listed,
/// for exactly the packets in its scope. Application rules match names, so `reach` lists these apart from the IP-level
/// packet sets; a packet with a host name is allowed exactly when the IP-level set or one grant covers it.
public struct HostNameGrant: Sendable, Hashable, Codable, Comparable {
    /// Allowed names.
    public var pattern: FQDNPattern
    /// Names excluded because an earlier deny rule takes them first for these packets.
    public var except: [FQDNPattern]
    /// `Https:443` style protocol entries.
    public var protocols: [String]
    /// Where the grant comes from (firewall rule or managed-network rule name).
    public var rule: String
    /// Toward any public name (a host the model does not know), the sources × source ports × protocols the grant holds
    /// for; `addresses` are source addresses. Empty when the grant holds for every packet of the source.
    public var scope: [ReachRow]
    /// Set when the grant holds toward no public name: the destinations it holds for (then `scope` covers them).
    public var toward: String?
    /// The original packets the grant holds for; `nil` for every packet of the source.
    var flows: PacketSet?

    /// A stand-in for every public host the model does not know: no rule names it (A1 atoms are otherwise disjoint).
    static let anyPublicName = Atom.host("<any public name>")

    /// Creates a grant; `flows` (original packets) limits where it holds.
    init(pattern: FQDNPattern, except: [FQDNPattern] = [], protocols: [String], rule: String, flows: PacketSet? = nil) {
        self.init(pattern: pattern, except: except, protocols: protocols, rule: rule, flows: flows,
                  display: flows.map { HostNameGrant.display($0, protocols: protocols) } ?? ([], nil))
    }

    /// Creates a grant with its display already computed (`display(_:protocols:)` of `flows`).
    init(pattern: FQDNPattern, except: [FQDNPattern], protocols: [String], rule: String, flows: PacketSet?,
         display: (scope: [ReachRow], toward: String?)) {
        self.pattern = pattern
        self.except = except
        self.protocols = protocols
        self.rule = rule
        self.flows = flows
        scope = display.scope
        toward = display.toward
    }

    /// Scope rows toward any public name or, when the packets reach none, toward the destinations they do reach.
    static func display(_ flows: PacketSet, protocols: [String]) -> (scope: [ReachRow], toward: String?) {
        let named = flows.intersection(PacketCube(destination: .atom(HostNameGrant.anyPublicName)))
        if named.isEmpty { return (rows(flows, protocols: protocols), flows.destinations.text) }
        return (rows(named, protocols: protocols), nil)
    }

    /// Source rows of a packet set: cubes grouped by source and destination ports, sources merged; each row names the
    /// protocol entries whose port it holds (exact: the rows' union is the set, projected on source and ports).
    static func rows(_ set: PacketSet, protocols: [String]) -> [ReachRow] {
        struct Key: Hashable { var sourcePorts: IntervalSet; var ports: IntervalSet }
        var sources: [Key: [IntervalSet.Interval]] = [:]
        var atoms: [Key: AtomSet] = [:]
        for cube in set.cubes {
            let key = Key(sourcePorts: cube.sourcePorts, ports: cube.destinationPorts)
            sources[key, default: []] += cube.source.ips.intervals
            atoms[key, default: .none] = atoms[key, default: .none].union(cube.source.atoms)
        }
        return sources.map { key, list in
            let entries = protocols.filter { entry in entry.split(separator: ":").last.flatMap { UInt32($0) }.map(key.ports.contains) ?? false }
            return ReachRow(addresses: AddressSet(ips: IntervalSet(list), atoms: atoms[key, default: .none]).text,
                            protocols: entries.isEmpty ? "Tcp" : entries.joined(separator: ","), ports: key.ports.portText,
                            sourcePorts: key.sourcePorts.portText)
        }.sorted()
    }

    /// Whether `name` on `port` is granted somewhere in the grant's scope.
    public func grants(_ name: String, port: Int) -> Bool {
        pattern.matches(name) && !except.contains { $0.matches(name) } && protocols.contains { $0.hasSuffix(":\(port)") }
    }

    /// Whether the grant allows `packet`: a TCP packet whose host name it grants, within its scope.
    public func covers(_ packet: Packet) -> Bool {
        guard packet.protocol == .tcp, let host = packet.hostName, grants(host, port: packet.destinationPort) else { return false }
        return flows?.contains(packet) ?? true
    }

    private enum CodingKeys: String, CodingKey { case pattern, except, protocols, rule, scope, toward }

    public static func < (l: HostNameGrant, r: HostNameGrant) -> Bool {
        if l.pattern != r.pattern { return l.pattern < r.pattern }
        if l.rule != r.rule { return l.rule < r.rule }
        if l.except != r.except { return l.except.lexicographicallyPrecedes(r.except) }
        if l.scope != r.scope { return l.scope.lexicographicallyPrecedes(r.scope) }
        return (l.toward ?? "") < (r.toward ?? "")
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
    /// Host-name grants through firewall application rules or managed FQDN rules (F17–F20, M11).
    public var fqdnGrants: [HostNameGrant]
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
                if grant.scope.isEmpty {
                    lines.append("  → name \(grant.pattern)\(except)  \(grant.protocols.joined(separator: ","))  [\(grant.rule)]")
                }
                for row in grant.scope {
                    let from = row.addresses == source.sourceAddresses ? "" : " from \(row.addresses)"
                    let sport = row.sourcePorts == "*" ? "" : " from ports \(row.sourcePorts)"
                    let toward = grant.toward.map { " toward \($0)" } ?? ""
                    lines.append("  → name \(grant.pattern)\(except)  \(row.protocols)\(from)\(sport)\(toward)  [\(grant.rule)]")
                }
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
        struct Row: Codable { var source: String; var sourceAddresses: String; var allowed: [ReachRow]; var fqdnGrants: [HostNameGrant]; var notes: [String] }
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
    /// Exact egress of every source (each subnet, each NIC with its own NSG, `internet`, `vpn-client`, each
    /// managed network) and, per
    /// private resource, who reaches it. Pass `source` to restrict to one source.
    /// - Complexity: one symbolic forwarding pass per source.
    public func reach(from source: TraceSource? = nil) -> ReachReport {
        var results: [SourceReach] = []
        let sources: [TraceSource] = source.map { [$0] } ?? (
            subnetOrder.map { TraceSource.subnet($0) }
                + endpoints.values.filter { $0.kind == .networkInterface && $0.networkSecurityGroup != nil }
                    .sorted { $0.address < $1.address }.map { TraceSource.address($0.address) }
                + [.internet] + (vpnClientPools.isEmpty ? [] : [.vpnClient])
                + graph.all(MachineLearningWorkspace.self).filter { $0.managedNetwork.isolationMode != .disabled }.map { .managedNetwork($0.id) })
        let guarded = Dictionary(grouping: endpoints.values.filter { $0.networkSecurityGroup != nil }, by: \.subnet)
        // Sources are independent, so they are spread over the cores; each worker has its own forwarder (and
        // caches). The result does not depend on the schedule: rows are sorted by source name afterwards.
        let slots = ReachSlots(count: sources.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, sources.count))
        let memo = IntervalSetMemo()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            IntervalSetMemo.$current.withValue(memo) {
                let forwarder = SymbolicForwarder(model: self)
                for index in stride(from: worker, to: sources.count, by: workers) {
                    slots.store(reach(sources[index], forwarder: forwarder, guardedNICs: guarded), at: index)
                }
            }
        }
        results = slots.values.sorted { $0.source < $1.source }
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
        modelNotes.append("Internet tag = public unicast IPv4 plus every symbolic atom (N21, §11.2)")
        return ReachReport(sources: results, resources: resources, notes: modelNotes)
    }

    private func reach(_ source: TraceSource, forwarder: SymbolicForwarder, guardedNICs: [ResourceID: [Endpoint]]) -> SourceReach {
        switch source {
        case .subnet(let id):
            guard let subnet = subnets[id] else { return empty("?") }
            // Source addresses: the subnet minus NICs that have their own NSG (they are separate sources).
            var sources = IntervalSet(prefixes: subnet.prefixes)
            for e in guardedNICs[id] ?? [] { sources = sources.subtracting(IntervalSet(address: e.address)) }
            _ = forwarder.takeApplicationArrivals()
            let allowed = forwarder.fromSubnet(subnet, sources: sources)
            let (grants, grantNotes) = applicationGrants(forwarder.takeApplicationArrivals())
            var notes: [String] = []
            if sources != IntervalSet(prefixes: subnet.prefixes) { notes.append("NICs with their own NSG are excluded; reach them with --from <nic>") }
            return SourceReach(source: subnet.displayName, sourceAddresses: AddressSet(ips: sources).text, allowed: allowed,
                               rows: allowed.destinationRows, fqdnGrants: grants, notes: notes + grantNotes)
        case .address(let ip):
            guard let subnet = subnet(containing: ip) else { return empty(ip.description) }
            _ = forwarder.takeApplicationArrivals()
            let allowed = forwarder.fromSubnet(subnet, sources: IntervalSet(address: ip), endpoint: endpoints[ip])
            let (grants, grantNotes) = applicationGrants(forwarder.takeApplicationArrivals())
            return SourceReach(source: endpoints[ip]?.displayName ?? ip.description, sourceAddresses: ip.description, allowed: allowed,
                               rows: allowed.destinationRows, fqdnGrants: grants, notes: grantNotes)
        case .vpnClient:
            guard let vnet = gatewayVirtualNetwork,
                  let gatewaySubnet = subnetOrder.compactMap({ subnets[$0] }).filter({ $0.virtualNetwork == vnet })
                    .sorted(by: { ($0.id.name.lowercased() == "gatewaysubnet" ? 0 : 1, $0.id) < ($1.id.name.lowercased() == "gatewaysubnet" ? 0 : 1, $1.id) }).first
            else { return empty("vpn-client") }
            var state = SymbolicForwarder.State()
            state.fromGateway = true
            let pools = IntervalSet(prefixes: vpnClientPools)
            let tunnel = PacketCube(source: AddressSet(ips: pools), destination: AddressSet(ips: IntervalSet(prefixes: vpnClientRoutes)))
            _ = forwarder.takeApplicationArrivals()
            let allowed = forwarder.forward(PacketSet(tunnel), at: gatewaySubnet, state: state, depth: 0)
            let (grants, grantNotes) = applicationGrants(forwarder.takeApplicationArrivals())
            return SourceReach(source: "vpn-client", sourceAddresses: AddressSet(ips: pools).text, allowed: allowed,
                               rows: allowed.destinationRows, fqdnGrants: grants, notes: ["name resolution: \(options.vpnClientDNS.rawValue)"] + grantNotes)
        case .internet:
            return internetReach(forwarder)
        case .managedNetwork(let id):
            return managedReach(id)
        }
    }

    private func empty(_ name: String) -> SourceReach {
        SourceReach(source: name, sourceAddresses: "", allowed: .empty, rows: [], fqdnGrants: [], notes: ["unknown source"])
    }

    /// Public fronts only (§9.5): NIC public IPs (N12), Bastion on 443, firewall DNAT rules (F11).
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
                    // F11: translate (dst, port are constants), SNAT to the firewall (decision §11.5), forward,
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
        return SourceReach(source: "internet", sourceAddresses: "public unicast IPv4", allowed: allowed,
                           rows: allowed.destinationRows, fqdnGrants: [], notes: notes.sorted())
    }

    /// Host-name grants from the packets that reached a firewall's application stage (F8, F9, F17–F20): only packets
    /// that passed the source NSGs and routing, arrived at the firewall and were decided by no DNAT or network rule
    /// count, so a grant never contradicts `trace`. Grants of the same rule, pattern and exceptions are merged; the
    /// notes say where the infrastructure collection applies (F10).
    private func applicationGrants(_ taken: (arrivals: [SymbolicForwarder.ApplicationArrival], chained: Bool)) -> (grants: [HostNameGrant], notes: [String]) {
        struct Key: Hashable { var rule: String; var pattern: FQDNPattern; var except: [FQDNPattern]; var protocols: [String] }
        var merged: [Key: PacketSet] = [:]
        var infrastructure: [String: PacketSet] = [:]
        for arrival in taken.arrivals {
            let stage = arrival.grants
            for grant in stage.grants {
                let key = Key(rule: grant.rule, pattern: grant.pattern, except: grant.except, protocols: grant.protocols)
                merged[key] = (merged[key] ?? .empty).union(grant.flows ?? .empty)
            }
            infrastructure[arrival.firewall.name] = (infrastructure[arrival.firewall.name] ?? .empty).union(stage.infrastructure)
        }
        // Rules with the same sources and ports share packet sets: compute each display once.
        struct DisplayKey: Hashable { var flows: PacketSet; var protocols: [String] }
        var displays: [DisplayKey: (scope: [ReachRow], toward: String?)] = [:]
        let grants = merged.map { key, flows in
            let displayKey = DisplayKey(flows: flows, protocols: key.protocols)
            let display = displays[displayKey] ?? HostNameGrant.display(flows, protocols: key.protocols)
            displays[displayKey] = display
            return HostNameGrant(pattern: key.pattern, except: key.except, protocols: key.protocols, rule: key.rule, flows: flows, display: display)
        }.sorted()
        var notes: [String] = []
        for (name, set) in infrastructure.sorted(by: { $0.key < $1.key }) {
            let named = set.intersection(PacketCube(destination: .atom(HostNameGrant.anyPublicName)))
            if named.isEmpty { continue }
            let scope = HostNameGrant.rows(named, protocols: FirewallInfrastructureCollection.protocols.map(\.description)).map {
                "from \($0.addresses)\($0.sourcePorts == "*" ? "" : " ports \($0.sourcePorts)") on \($0.protocols)"
            }
            notes.append("\(name): the built-in infrastructure rule collection (F10) allows Microsoft's unpublished platform names ("
                         + FirewallInfrastructureCollection.services.joined(separator: ", ")
                         + ") \(scope.joined(separator: "; ")) [ports ASSUMED]; a deny-all application rule overrides it")
        }
        if taken.chained {
            notes.append("some flows allowed by one firewall's application rules meet a second firewall's application stage; they are not followed")
        }
        return (grants, notes)
    }

    /// M9–M11: the managed network's allowed egress.
    private func managedReach(_ id: ResourceID) -> SourceReach {
        guard let ws = graph.resource(id, as: MachineLearningWorkspace.self) else { return empty(id.name) }
        let name = "managed:\(ws.name)"
        var notes: [String] = []
        let targets = ManagedNetworkEngine.privateEndpointTargets(ws, graph: graph)
        if ws.managedNetwork.provisioned == false {
            notes.append("not provisioned yet: private endpoints don't exist (M12)")
        } else {
            notes += targets.map { "private endpoint to \($0.name)" }
        }
        if ws.managedNetwork.isolationMode == .allowInternetOutbound {
            return SourceReach(source: name, sourceAddresses: "managed compute", allowed: .all, rows: PacketSet.all.destinationRows,
                               fqdnGrants: [], notes: notes + ["AllowInternetOutbound: all outbound allowed (M9)"])
        }
        var remaining = PacketSet.all
        var allowed = PacketSet.empty
        for rule in ManagedNetworkEngine.userTagRules(ws) + ManagedNetworkEngine.requiredTags(region: ws.location) {
            let match = PacketSet(PacketCube(destination: tags.resolve(rule.tag), protocols: rule.protocols, destinationPorts: rule.ports))
            if rule.allow { allowed = allowed.union(remaining.intersection(match)) }
            remaining = remaining.subtracting(match)
        }
        var grants: [HostNameGrant] = []
        for rule in ManagedNetworkEngine.fqdnRules(ws) {
            if rule.usable {
                grants.append(HostNameGrant(pattern: rule.pattern, protocols: ["Http:80", "Https:443"], rule: rule.name))
            } else {
                notes.append("FQDN rule \(rule.name) (\(rule.pattern)) can't open Storage in approved-only mode (M11)")
            }
        }
        return SourceReach(source: name, sourceAddresses: "managed compute", allowed: allowed, rows: allowed.destinationRows,
                           fqdnGrants: grants.sorted(), notes: notes)
    }
}
