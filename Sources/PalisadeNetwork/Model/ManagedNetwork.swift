import PalisadeModel

/// A managed-VNet service-tag grant (docs/semantics.md#managed-network-outbound-rules).
struct ManagedTagRule: Sendable, Hashable {
    var name: String
    var tag: String
    var protocols: ProtocolSet
    var ports: IntervalSet
    var allow: Bool
}

/// AML managed virtual network outbound semantics (docs/semantics.md#managed-network-modes, #managed-network-outbound-rules).
enum ManagedNetworkEngine {
    /// The required service-tag rules added automatically in approved-only mode (docs/semantics.md#managed-network-outbound-rules, 2025 revision).
    static func requiredTags(region: String?) -> [ManagedTagRule] {
        let r = ServiceNames.region(region)
        let https = IntervalSet(443, 443)
        return [
            ManagedTagRule(name: "required-AzureMachineLearning-tcp", tag: "AzureMachineLearning", protocols: ProtocolSet([.tcp]),
                           ports: IntervalSet([.init(443, 443), .init(18881, 18881)]), allow: true),
            ManagedTagRule(name: "required-AzureMachineLearning-udp", tag: "AzureMachineLearning", protocols: ProtocolSet([.udp]),
                           ports: IntervalSet(5831, 5831), allow: true),
            ManagedTagRule(name: "required-AzureActiveDirectory", tag: "AzureActiveDirectory", protocols: ProtocolSet([.tcp]),
                           ports: IntervalSet([.init(80, 80), .init(443, 443)]), allow: true),
            ManagedTagRule(name: "required-BatchNodeManagement", tag: "BatchNodeManagement.\(r)", protocols: .all, ports: https, allow: true),
            ManagedTagRule(name: "required-AzureResourceManager", tag: "AzureResourceManager", protocols: ProtocolSet([.tcp]), ports: https, allow: true),
            ManagedTagRule(name: "required-AzureFrontDoor.FirstParty", tag: "AzureFrontDoor.FirstParty", protocols: ProtocolSet([.tcp]), ports: https, allow: true),
            ManagedTagRule(name: "required-MicrosoftContainerRegistry", tag: "MicrosoftContainerRegistry", protocols: ProtocolSet([.tcp]), ports: https, allow: true),
            ManagedTagRule(name: "required-AzureMonitor", tag: "AzureMonitor", protocols: ProtocolSet([.tcp]), ports: https, allow: true),
        ]
    }

    /// Storage public suffixes that FQDN rules can't open in approved-only mode (docs/semantics.md#managed-network-fqdn-rules).
    static let storageSuffixes = ["blob.core.windows.net", "file.core.windows.net", "queue.core.windows.net",
                                  "table.core.windows.net", "dfs.core.windows.net"]

    /// Private-endpoint targets of the managed network: required ones (docs/semantics.md#managed-network-outbound-rules) plus user PE rules (docs/semantics.md#managed-network-outbound-rules).
    static func privateEndpointTargets(_ ws: MachineLearningWorkspace, graph: ResourceGraph) -> [ResourceID] {
        var targets: [ResourceID] = []
        let mode = ws.managedNetwork.isolationMode
        func publicDisabled(_ id: ResourceID) -> Bool {
            switch graph[id] {
            case .storageAccount(let a): a.publicNetworkAccess == .disabled
            case .keyVault(let v): v.publicNetworkAccess == .disabled
            case .containerRegistry(let r): r.publicNetworkAccess == .disabled
            case .machineLearningWorkspace(let w): w.publicNetworkAccess == .disabled
            default: false
            }
        }
        for id in [ws.id] + [ws.storageAccount, ws.keyVault, ws.containerRegistry].compactMap({ $0 }) {
            // docs/semantics.md#managed-network-outbound-rules: in AllowInternetOutbound only for resources with public access disabled.
            if mode == .allowOnlyApprovedOutbound || publicDisabled(id) { targets.append(id) }
        }
        for rule in ws.managedNetwork.outboundRules where rule.kind == .privateEndpoint {
            guard let id = rule.serviceResourceID else { continue }
            targets.append(id)
            // An AMPLS private endpoint also answers for its scoped Log Analytics workspaces' names (MVN lists
            // "Application Insights via AMPLS" as a target; Z-06 per-workspace records).
            if let scope = graph.resource(id, as: MonitorPrivateLinkScope.self) { targets += scope.scopedResources }
        }
        var seen: Set<ResourceID> = []
        return targets.filter { seen.insert($0).inserted }
    }

    /// User service-tag rules (docs/semantics.md#managed-network-outbound-rules).
    static func userTagRules(_ ws: MachineLearningWorkspace) -> [ManagedTagRule] {
        ws.managedNetwork.outboundRules.compactMap { rule in
            guard rule.kind == .serviceTag, let tag = rule.serviceTag else { return nil }
            let proto: ProtocolSet = switch (rule.serviceTagProtocol ?? "*").lowercased() {
            case "tcp": ProtocolSet([.tcp])
            case "udp": ProtocolSet([.udp])
            case "icmp": ProtocolSet([.icmp])
            default: .all
            }
            let ports = (rule.portRanges ?? "*").split(separator: ",").map { String($0) }
            let set = PortMatch.parse(ports).map { IntervalSet(ports: $0) } ?? .empty
            return ManagedTagRule(name: rule.name, tag: tag, protocols: proto, ports: set, allow: rule.action.lowercased() != "deny")
        }
    }

    /// User FQDN rules usable in approved-only mode (docs/semantics.md#managed-network-fqdn-rules: ports 80/443, not Storage names).
    static func fqdnRules(_ ws: MachineLearningWorkspace) -> [(name: String, pattern: FQDNPattern, usable: Bool)] {
        ws.managedNetwork.outboundRules.compactMap { rule in
            guard rule.kind == .fqdn, let destination = rule.fqdn else { return nil }
            let lower = destination.lowercased()
            let usable = !storageSuffixes.contains { lower.hasSuffix($0) }
            return (rule.name, FQDNPattern(destination), usable)
        }
    }
}
