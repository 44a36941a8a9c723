import PalisadeModel
import PalisadeNetwork

/// Proof: every private-endpoint-backed service name resolves to its private endpoint from every VNet that
/// uses it (hosts compute, VMs or the service's endpoints).
public struct PrivateNameResolutionRule: Rule {
    public static let description = RuleDescription(
        id: "private_name_resolution",
        title: "Private Name Resolution",
        kind: .connectivity,
        defaultSeverity: .error,
        rationale: """
        A private endpoint only helps if clients resolve the service's public name to the endpoint's IP, which \
        needs the privatelink zone, a record (zone group) and a link to the client's VNet. Otherwise the name \
        resolves publicly and, with public network access disabled, requests fail with "Access to workspace was denied \
        based on workspace private link configuration" (or the storage/registry equivalent). The engine resolves \
        each name from each VNet that uses it.
        """,
        source: "docs/semantics.md#dns; https://learn.microsoft.com/azure/machine-learning/how-to-custom-dns; https://learn.microsoft.com/azure/private-link/private-endpoint-dns",
        fix: "give the private endpoint a DNS zone group with the privatelink zone and link that zone to every VNet that uses the service",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "endpoints", "properties": {"addressPrefix": "10.0.2.0/24"}}]}},
            {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kvexample", "location": "westeurope",
             "properties": {"tenantId": "[subscription().tenantId]", "sku": {"family": "A", "name": "standard"},
              "publicNetworkAccess": "Disabled", "enableRbacAuthorization": true}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-kv", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "kv", "properties": {
                "privateLinkServiceId": "[resourceId('Microsoft.KeyVault/vaults', 'kvexample')]", "groupIds": ["vault"]}}]}}
            """, flagging: ["kvexample"]),
        ]
    )

    public init() {}

    /// How many failing VNets get a whole trace as evidence, and how many are named in the message.
    static let tracedFailures = 2
    static let namedFailures = 10

    public func check(_ context: RuleContext) -> [Finding] {
        let graph = context.graph
        let network = context.network
        // VNets that use services: those hosting compute, VM NICs or private endpoints.
        let usedSubnets = Set(network.endpoints.values.map(\.subnet)).union(context.computeSubnets.map(\.id))
        var vnetSubnet: [ResourceID: ResourceID] = [:]
        for subnet in usedSubnets.sorted() {
            // A virtual hub's own network holds only the platform's router and firewall, and private DNS zones cannot
            // be linked to it (they are linked to connected VNets instead:
            // https://learn.microsoft.com/azure/virtual-wan/howto-private-link): it uses no private endpoint.
            if network.subnets[subnet]?.virtualNetwork.parent?.resourceType == .virtualHub { continue }
            if let compiled = network.subnets[subnet], vnetSubnet[compiled.virtualNetwork] == nil {
                vnetSubnet[compiled.virtualNetwork] = subnet
            }
        }
        var findings: [Finding] = []
        let targets = Set(graph.all(PrivateEndpoint.self).compactMap(\.target)).sorted()
        let vnets = vnetSubnet.keys.sorted()
        // VNets whose resolvers answer alike (same DNS server, zone links and region) share one DNS answer per name,
        // so a name is asked once per class, not once per VNet.
        let classOf = network.resolverClasses(vnets)
        var members = [[Int]](repeating: [], count: (classOf.max() ?? -1) + 1)
        for (position, index) in classOf.enumerated() { members[index].append(position) }
        for target in targets {
            guard let resource = graph[target], let name = Self.serviceName(resource) else { continue }
            var failures: [(vnet: String, trace: Trace?)] = []
            var unlisted = 0
            // The name resolves the same way whichever VNet asks; the DNS answer (inside the trace) is per VNet.
            // A DNS host name is asked of DNS directly; a resource name (a workspace's) is resolved to its names first.
            let destination: TraceDestination = name.contains(".") ? .name(name) : ((try? network.destination(named: name)) ?? .name(name))
            if case .name(let query) = destination {
                // Only the DNS answer decides, once per class; a whole trace is evidence, computed for the first
                // failures alone, and VNets past the named ones are only counted, so the rule stays linear in
                // VNets + classes × endpoints on large estates.
                let failing = members.filter { group in
                    let answer = network.resolve(query, from: .virtualNetwork(vnets[group[0]]))
                    let single = !answer.nxdomain && answer.addresses.count == 1 ? IPv4Address(answer.addresses[0].description) : nil
                    if let single, let endpoint = network.endpoints[single], endpoint.kind == .privateEndpoint, endpoint.target == target {
                        return false
                    }
                    return true
                }
                var cursors = [Int](repeating: 0, count: failing.count)
                var remaining = failing.reduce(0) { $0 + $1.count }
                // The failing VNets in name order (a merge of the failing classes), until enough are named.
                while remaining > 0, failures.count < max(Self.tracedFailures, Self.namedFailures) {
                    let next = failing.indices.filter { cursors[$0] < failing[$0].count }.min { failing[$0][cursors[$0]] < failing[$1][cursors[$1]] }!
                    let vnet = vnets[failing[next][cursors[next]]]
                    cursors[next] += 1
                    remaining -= 1
                    if failures.count >= Self.tracedFailures {
                        failures.append((vnet.name, nil))
                        continue
                    }
                    let trace = network.trace(from: .subnet(vnetSubnet[vnet]!), to: destination, port: 443, protocol: .tcp)
                    let answer = trace.hops.first { $0.kind == "DNS" }.flatMap { IPv4Address($0.result) }
                    let reachesEndpoint = answer.flatMap { network.endpoints[$0] }.map { $0.kind == .privateEndpoint && $0.target == target } ?? false
                    if !reachesEndpoint { failures.append((vnet.name, trace)) }
                }
                unlisted = remaining
            } else {
                for vnet in vnets {
                    let trace = network.trace(from: .subnet(vnetSubnet[vnet]!), to: destination, port: 443, protocol: .tcp)
                    let answer = trace.hops.first { $0.kind == "DNS" }.flatMap { IPv4Address($0.result) }
                    let reachesEndpoint = answer.flatMap { network.endpoints[$0] }.map { $0.kind == .privateEndpoint && $0.target == target } ?? false
                    if !reachesEndpoint { failures.append((vnet.name, trace)) }
                }
            }
            guard !failures.isEmpty else { continue }
            let named = failures.prefix(Self.namedFailures).map { "'\($0.vnet)'" }.joined(separator: ", ")
            let total = failures.count + unlisted
            let more = total > Self.namedFailures ? " and \(total - Self.namedFailures) more VNets" : ""
            findings.append(Finding(
                ruleID: Self.description.id, severity: Self.description.defaultSeverity,
                message: "service '\(target.name)' (\(name)) does not resolve to its private endpoint from \(named)\(more)",
                subject: target, resourceType: resource.type, location: resource.source,
                evidence: failures.compactMap(\.trace).prefix(Self.tracedFailures).map { .trace($0) }, fix: Self.description.fix))
        }
        return findings
    }

    /// The public name clients use for a service (docs/semantics.md#private-dns-zones-per-service, #workspace-names).
    static func serviceName(_ resource: Resource) -> String? {
        switch resource {
        case .storageAccount(let account): "\(account.name.lowercased()).blob.core.windows.net"
        case .keyVault(let vault): "\(vault.name.lowercased()).vault.azure.net"
        case .containerRegistry(let registry): "\(registry.name.lowercased()).azurecr.io"
        case .machineLearningWorkspace(let workspace): workspace.name
        default: nil
        }
    }
}

// MARK: - Fix

extension PrivateNameResolutionRule {
    /// Gives each private endpoint of the service the zone group and zones it needs, linked to every VNet that
    /// resolves through Azure DNS (https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let endpoints = context.graph.privateEndpoints(targeting: finding.subject)
        guard !endpoints.isEmpty else { return nil }
        let vnets = context.graph.resolvingNetworks
        return context.propose("give the private endpoints of '\(finding.subject.name)' their private DNS zones, linked to \(vnets.map { "'\($0.name)'" }.joined(separator: ", "))") { graph in
            for endpoint in endpoints { graph.ensureZoneGroup(endpoint.id, linkedTo: vnets) }
        }
    }
}
