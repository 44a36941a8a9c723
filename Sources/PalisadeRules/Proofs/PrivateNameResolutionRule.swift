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
        for target in targets {
            guard let resource = graph[target], let name = Self.serviceName(resource) else { continue }
            var failures: [(vnet: String, trace: Trace?)] = []
            // The name resolves the same way whichever VNet asks; the DNS answer (inside the trace) is per VNet.
            // A DNS host name is asked of DNS directly; a resource name (a workspace's) is resolved to its names first.
            let destination: TraceDestination = name.contains(".") ? .name(name) : ((try? network.destination(named: name)) ?? .name(name))
            for (vnet, subnet) in vnetSubnet.sorted(by: { $0.key < $1.key }) {
                // Only the DNS answer decides; a whole trace is evidence, computed for the first failures alone, so
                // the rule stays linear in VNets × endpoints on large estates.
                if case .name(let query) = destination {
                    let answer = network.resolve(query, from: .virtualNetwork(vnet))
                    let single = !answer.nxdomain && answer.addresses.count == 1 ? IPv4Address(answer.addresses[0].description) : nil
                    if let single, let endpoint = network.endpoints[single], endpoint.kind == .privateEndpoint, endpoint.target == target {
                        continue
                    }
                    if failures.count >= Self.tracedFailures {
                        failures.append((vnet.name, nil))
                        continue
                    }
                }
                let trace = network.trace(from: .subnet(subnet), to: destination, port: 443, protocol: .tcp)
                let answer = trace.hops.first { $0.kind == "DNS" }.flatMap { IPv4Address($0.result) }
                let reachesEndpoint = answer.flatMap { network.endpoints[$0] }.map { $0.kind == .privateEndpoint && $0.target == target } ?? false
                if !reachesEndpoint { failures.append((vnet.name, trace)) }
            }
            guard !failures.isEmpty else { continue }
            let named = failures.prefix(Self.namedFailures).map { "'\($0.vnet)'" }.joined(separator: ", ")
            let more = failures.count > Self.namedFailures ? " and \(failures.count - Self.namedFailures) more VNets" : ""
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
