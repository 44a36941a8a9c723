import PalisadeModel

/// What a subnet's service endpoint policies say about one storage request over the service endpoint.
public struct ServiceEndpointPolicyVerdict: Sendable, Hashable {
    /// Whether the request may proceed to the account's own network rules.
    public var allowed: Bool
    /// Why, in one line.
    public var reason: String
    /// What the verdict assumes about an account outside the model, if anything.
    public var assumption: String?
}

extension NetworkModel {
    /// Service endpoint policies on `subnet` for a request to `account` (nil when the account is not in the model)
    /// over the `service` endpoint; nil when no policy applies.
    ///
    /// docs/semantics.md#service-endpoint-policies: once a policy is attached, only the storage resources it
    /// lists (accounts, or resource group / subscription scopes) are reachable over the service endpoint; every
    /// other account is denied. An alias such as `/services/Azure/MachineLearning` adds Microsoft-managed storage
    /// only. An account outside the model is therefore denied, unless the policy lists a resource group or
    /// subscription scope it might lie in (then it is allowed, with that assumption, so "cannot reach" proofs
    /// stay sound).
    public func serviceEndpointPolicy(on subnet: CompiledSubnet, service: String, account: ResourceID?) -> ServiceEndpointPolicyVerdict? {
        guard service.lowercased().hasPrefix("microsoft.storage"), !subnet.serviceEndpointPolicies.isEmpty else { return nil }
        let definitions = subnet.serviceEndpointPolicies.compactMap { graph.resource($0, as: ServiceEndpointPolicy.self) }
            .flatMap(\.definitions).filter { $0.service.lowercased().hasPrefix("microsoft.storage") }
        let listed = definitions.flatMap(\.serviceResources)
        let aliases = definitions.flatMap(\.serviceAliases)
        let names = subnet.serviceEndpointPolicies.map(\.name).sorted().joined(separator: ", ")
        if let account {
            let ok = listed.contains { account.rawValue.lowercased().hasPrefix($0.lowercased()) }
            return ServiceEndpointPolicyVerdict(
                allowed: ok, reason: ok ? "service endpoint policy \(names) lists \(account.name)" : "service endpoint policy \(names) does not list \(account.name)",
                assumption: nil)
        }
        let scopes = listed.filter { !$0.lowercased().contains("/providers/microsoft.storage/storageaccounts/") }
        if let scope = scopes.sorted().first {
            return ServiceEndpointPolicyVerdict(allowed: true, reason: "service endpoint policy \(names) admits the scope \(scope)",
                                                assumption: "the storage account behind this address may lie in \(scope)")
        }
        let accounts = listed.map { ResourceID($0).name }.sorted()
        let also = aliases.isEmpty ? "" : " and Microsoft-managed storage behind \(aliases.sorted().joined(separator: ", "))"
        return ServiceEndpointPolicyVerdict(
            allowed: false,
            reason: "service endpoint policy \(names) admits only \(accounts.isEmpty ? "no account" : accounts.joined(separator: ", "))\(also)",
            assumption: "an account outside the model is someone else's storage")
    }
}

extension NetworkModel {
    /// Whether traffic with next hop `VirtualNetworkGateway` from `vnet` has a gateway to go to: one in the VNet,
    /// or a peer's through gateway transit (docs/semantics.md#gateway-transit). Without one the route leads nowhere and the packet is dropped
    /// docs/semantics.md#user-defined-routes, #evaluation-order step 4).
    public func hasGateway(for vnet: ResourceID) -> Bool {
        let gatewayVNets = Set(graph.all(VirtualNetworkGateway.self).flatMap(\.ipConfigurations).compactMap(\.subnet).compactMap(\.parent))
        if gatewayVNets.contains(vnet) { return true }
        func transits(_ peering: VirtualNetworkPeering) -> Bool {
            peering.useRemoteGateways && gatewayVNets.contains(peering.remoteVirtualNetwork)
                && (self.peering(from: peering.remoteVirtualNetwork, to: vnet)?.allowGatewayTransit ?? false)
        }
        if virtualNetworks[vnet]?.peerings.contains(where: transits) == true { return true }
        // Connections Virtual Network Manager creates ("use hub as gateway") are peerings of the model, not of the
        // VNet resource (https://learn.microsoft.com/azure/virtual-network-manager/concept-connectivity-configuration).
        return peerings.contains { $0.key.from == vnet && transits($0.value) }
    }
}
