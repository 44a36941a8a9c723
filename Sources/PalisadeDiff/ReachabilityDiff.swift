import Foundation
import PalisadeModel
import PalisadeNetwork

/// How one source's reach changed: the packets it may send after the change and not before, and the reverse.
public struct SourceDelta: Sendable {
    /// The source's name (`vnet/subnet`, a NIC, `internet`, `vpn-client`, `managed:<workspace>`).
    public var source: String
    /// Where traces of this source start, in the version that has it.
    public var origin: TraceSource
    /// Packets allowed after the change and not before.
    public var opened: PacketSet
    /// Packets allowed before the change and not after.
    public var closed: PacketSet
    /// Host-name grants present only after the change.
    public var openedNames: [FQDNGrant]
    /// Host-name grants present only before the change.
    public var closedNames: [FQDNGrant]
}

/// The exact difference of two reachability relations (source, packet), computed per source.
public struct ReachabilityDiff: Sendable {
    /// Sources whose reach changed, by name.
    public var deltas: [SourceDelta]
    /// Sources followed in full on each side (the rest only toward the changed subnets).
    public var recomputedSources: Int
    /// Every source of the two versions.
    public var totalSources: Int

    /// Compares `before` and `after` (compiled with the same options).
    ///
    /// Sources whose own inputs did not change are followed only toward the subnets the change touched: their
    /// reach elsewhere is a function of unchanged inputs, so it is the same on both sides. This holds when the
    /// change is confined to NSGs, route tables, NICs and subnets that carry no transit (no firewall, appliance,
    /// gateway or next-hop address); any other change recomputes every source.
    public static func compute(before: NetworkModel, after: NetworkModel) -> ReachabilityDiff {
        let scope = ChangeScope.between(before, after)
        let beforeSources = before.reachSources
        let afterSources = after.reachSources
        var beforeReach: [SourceReach]
        var afterReach: [SourceReach]
        var recomputed = beforeSources.count + afterSources.count
        if let scope {
            let (fullBefore, restBefore) = scope.split(beforeSources, in: before)
            let (fullAfter, restAfter) = scope.split(afterSources, in: after)
            recomputed = fullBefore.count + fullAfter.count
            let toward = AddressSet(ips: scope.destinations)
            beforeReach = before.reach(sources: fullBefore)
            afterReach = after.reach(sources: fullAfter)
            if !scope.destinations.isEmpty {
                beforeReach += before.reach(sources: restBefore, toward: toward)
                afterReach += after.reach(sources: restAfter, toward: toward)
            }
        } else {
            beforeReach = before.reach(sources: beforeSources)
            afterReach = after.reach(sources: afterSources)
        }
        var origins: [String: TraceSource] = [:]
        for source in beforeSources { origins[name(of: source, in: before)] = source }
        for source in afterSources { origins[name(of: source, in: after)] = source }
        let old = Dictionary(beforeReach.map { ($0.source, $0) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(afterReach.map { ($0.source, $0) }, uniquingKeysWith: { a, _ in a })
        var deltas: [SourceDelta] = []
        for name in Set(old.keys).union(new.keys).sorted() {
            let a = old[name]?.allowed ?? .empty
            let b = new[name]?.allowed ?? .empty
            let oldNames = Set(old[name]?.fqdnGrants ?? [])
            let newNames = Set(new[name]?.fqdnGrants ?? [])
            let delta = SourceDelta(source: name, origin: origins[name] ?? .internet, opened: b.subtracting(a), closed: a.subtracting(b),
                                    openedNames: newNames.subtracting(oldNames).sorted(), closedNames: oldNames.subtracting(newNames).sorted())
            if !delta.opened.isEmpty || !delta.closed.isEmpty || !delta.openedNames.isEmpty || !delta.closedNames.isEmpty {
                deltas.append(delta)
            }
        }
        return ReachabilityDiff(deltas: deltas, recomputedSources: recomputed, totalSources: beforeSources.count + afterSources.count)
    }

    /// The name `reach` gives a source.
    static func name(of source: TraceSource, in model: NetworkModel) -> String {
        switch source {
        case .subnet(let id): model.subnets[id]?.displayName ?? id.name
        case .address(let ip): model.endpoints[ip]?.displayName ?? ip.description
        case .internet: "internet"
        case .vpnClient: "vpn-client"
        case .managedNetwork(let id): "managed:\(id.name)"
        }
    }
}

/// The subnets a change touches, when the change is local enough for sources elsewhere to be reused.
struct ChangeScope {
    /// Subnets whose NSG, route table, NICs or own properties changed (IDs valid in either version).
    var subnets: Set<ResourceID>
    /// Their addresses in both versions.
    var destinations: IntervalSet

    /// The scope of the change from `before` to `after`, or nil when every source must be recomputed.
    static func between(_ before: NetworkModel, _ after: NetworkModel) -> ChangeScope? {
        guard before.options == after.options else { return nil }
        var subnets: Set<ResourceID> = []
        var changedGroups: Set<ResourceID> = []
        var onlyGroups = true
        // Where each NSG is attached (subnet level or through a NIC), per version.
        let governed = [before, after].map { model in
            var table: [ResourceID: Set<ResourceID>] = [:]
            for subnet in model.subnets.values { if let nsg = subnet.networkSecurityGroup { table[nsg, default: []].insert(subnet.id) } }
            for endpoint in model.endpoints.values { if let nsg = endpoint.networkSecurityGroup { table[nsg, default: []].insert(endpoint.subnet) } }
            return table
        }
        for id in ResourceChanges.changedIDs(before.graph, after.graph) {
            guard let type = (after.graph[id] ?? before.graph[id])?.type else { continue }
            if type == .networkSecurityGroup { changedGroups.insert(id) } else { onlyGroups = false }
            for (version, model) in [before, after].enumerated() {
                switch type {
                case .networkSecurityGroup:
                    subnets.formUnion(governed[version][id] ?? [])
                case .routeTable:
                    subnets.formUnion(model.subnets.values.filter { $0.routeTable == id }.map(\.id))
                case .networkInterface:
                    subnets.formUnion(model.endpoints.values.filter { $0.resource == id }.map(\.subnet))
                    if let nic = model.graph.resource(id, as: NetworkInterface.self) { subnets.formUnion(nic.ipConfigurations.compactMap(\.subnet)) }
                case .subnet:
                    subnets.insert(id)
                default:
                    return nil
                }
            }
        }
        var destinations = IntervalSet.empty
        for model in [before, after] {
            for id in subnets {
                guard let subnet = model.subnets[id] else { continue }
                let special = ["gatewaysubnet", "azurefirewallsubnet", "azurefirewallmanagementsubnet", "azurebastionsubnet", "routeserversubnet"]
                if special.contains(id.name.lowercased()) { return nil }
                destinations = destinations.union(IntervalSet(prefixes: subnet.prefixes))
            }
            // Public IPs of the touched NICs are destinations too (reached from inside and from the Internet).
            for endpoint in model.endpoints.values where subnets.contains(endpoint.subnet) {
                if let address = endpoint.publicAddress { destinations = destinations.union(IntervalSet(address: address)) }
            }
        }
        // Transit: traffic between other sources and destinations may cross these addresses.
        for model in [before, after] {
            var transit: [IPv4Address] = model.firewalls.map(\.privateAddress)
            transit += model.endpoints.values.filter { $0.ipForwarding || $0.kind == .virtualNetworkGateway || $0.kind == .azureFirewall }.map(\.address)
            for table in model.graph.all(RouteTable.self) {
                transit += table.routes.compactMap { $0.nextHopType == .virtualAppliance ? $0.nextHopIPAddress : nil }
            }
            if transit.contains(where: { destinations.contains($0.value) }) { return nil }
        }
        if onlyGroups {
            // Only NSGs changed: a subnet whose NSGs decide alike, before and after, for every packet another source
            // can bring to it is not touched at all (see `decidesAlike`), so neither its sources nor the traffic
            // toward it need following.
            let reachable = PacketCube(source: AddressSet(ips: privateSources(before).union(privateSources(after))))
            var interfaceGroups: [ResourceID: Set<ResourceID>] = [:]
            for model in [before, after] {
                for endpoint in model.endpoints.values {
                    if let nsg = endpoint.networkSecurityGroup, changedGroups.contains(nsg) { interfaceGroups[endpoint.subnet, default: []].insert(nsg) }
                }
            }
            let narrowed = subnets.filter { id in
                var attached = interfaceGroups[id] ?? []
                for model in [before, after] {
                    if let nsg = model.subnets[id]?.networkSecurityGroup, changedGroups.contains(nsg) { attached.insert(nsg) }
                }
                return !decidesAlike(attached, at: id, before, after, reachable: reachable)
            }
            if narrowed.count < subnets.count {
                var narrowedDestinations = IntervalSet.empty
                for model in [before, after] {
                    for id in narrowed { if let subnet = model.subnets[id] { narrowedDestinations = narrowedDestinations.union(IntervalSet(prefixes: subnet.prefixes)) } }
                    for endpoint in model.endpoints.values where narrowed.contains(endpoint.subnet) {
                        if let address = endpoint.publicAddress { narrowedDestinations = narrowedDestinations.union(IntervalSet(address: address)) }
                    }
                }
                return ChangeScope(subnets: narrowed, destinations: narrowedDestinations)
            }
        }
        return ChangeScope(subnets: subnets, destinations: destinations)
    }

    /// Whether the changed NSGs `attached` in `subnet` (to the subnet or to its NICs; attachments did not change) decide
    /// every packet alike in both versions, as far as any source but the Internet, VPN clients and managed networks
    /// (which are always followed in full) can tell. Outbound, the subnet's own sources meet them with any packet, so
    /// the rule lists must be identical. Inbound, the packets that arrive from other sources carry a private source
    /// address (the sending subnet's, or a firewall's after SNAT): rules are compared on those sources only (what a
    /// rule matches from other sources, such as the Internet, is cut away, and rules left matching nothing are
    /// dropped, which does not change a first match). Identical lists decide identically, so this is exact; lists
    /// that differ only in form count as a change (the subnet is followed, as before).
    /// `reachable` holds every packet with such a source (`privateSources`).
    static func decidesAlike(_ attached: Set<ResourceID>, at subnet: ResourceID, _ before: NetworkModel, _ after: NetworkModel,
                             reachable: PacketCube) -> Bool {
        struct Decision: Equatable { var access: SecurityRule.Access; var match: PacketSet; var platform: Bool }
        func decisions(_ model: NetworkModel, _ nsg: ResourceID, _ direction: SecurityRule.Direction) -> [Decision]? {
            guard let group = model.securityGroup(nsg, in: subnet, direction) else { return nil }
            return group.rules.compactMap { rule in
                let match = direction == .outbound ? rule.match : rule.match.intersection(reachable)
                return match.isEmpty ? nil : Decision(access: rule.access, match: match, platform: rule.targetsPlatform)
            }
        }
        for nsg in attached.sorted() {
            for direction in SecurityRule.Direction.allCases where decisions(before, nsg, direction) != decisions(after, nsg, direction) {
                return false
            }
        }
        return true
    }

    /// Every address a packet from a subnet can carry as its source: the subnets' prefixes and the firewalls'
    /// private addresses (their SNAT).
    static func privateSources(_ model: NetworkModel) -> IntervalSet {
        IntervalSet(model.subnets.values.flatMap { subnet in subnet.prefixes.map { IntervalSet.Interval($0.network.value, $0.last.value) } }
            + model.firewalls.map { IntervalSet.Interval($0.privateAddress.value, $0.privateAddress.value) })
    }

    /// Sources to follow in full (in a changed subnet, or not bound to a subnet) and the rest.
    func split(_ sources: [TraceSource], in model: NetworkModel) -> (full: [TraceSource], rest: [TraceSource]) {
        var full: [TraceSource] = []
        var rest: [TraceSource] = []
        for source in sources {
            switch source {
            case .subnet(let id):
                if subnets.contains(id) { full.append(source) } else { rest.append(source) }
            case .address(let ip):
                if let subnet = model.endpoints[ip]?.subnet ?? model.subnet(containing: ip)?.id, !subnets.contains(subnet) {
                    rest.append(source)
                } else {
                    full.append(source)
                }
            case .internet, .vpnClient, .managedNetwork:
                full.append(source)
            }
        }
        return (full, rest)
    }
}
