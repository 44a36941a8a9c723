import PalisadeModel

/// A PaaS service the environment depends on, with how its public endpoint is set.
struct ExposedService {
    /// The resource.
    let resource: any AzureResource
    /// What it is, for messages ("workspace", "storage account", …).
    let kind: String
    /// The property that closes the public endpoint.
    let property: String
    /// Its value as given (or the platform default when unset).
    let value: String
    /// Whether the public endpoint is off.
    let publicAccessDisabled: Bool
    /// Firewall settings that narrow an open public endpoint, for messages.
    let restriction: String?
}

extension RuleContext {
    /// Workspaces, storage accounts, key vaults, registries, Application Insights, Log Analytics and AI services.
    var exposedServices: [ExposedService] {
        func state(_ value: EnablementState?) -> String { value?.rawValue ?? "(not set: Enabled)" }
        func acl(_ acl: NetworkACLs) -> String? {
            acl.defaultAction == .deny ? "firewall default action Deny, \(acl.ipRules.count) IP rule(s)" : nil
        }
        var services: [ExposedService] = []
        services += graph.all(MachineLearningWorkspace.self).map {
            ExposedService(resource: $0, kind: "workspace", property: "properties.publicNetworkAccess", value: state($0.publicNetworkAccess),
                           publicAccessDisabled: $0.publicNetworkAccess == .disabled,
                           restriction: $0.ipAllowlist.isEmpty ? nil : "IP allow list of \($0.ipAllowlist.count)")
        }
        services += graph.all(StorageAccount.self).map {
            ExposedService(resource: $0, kind: "storage account", property: "properties.publicNetworkAccess", value: state($0.publicNetworkAccess),
                           publicAccessDisabled: $0.publicNetworkAccess == .disabled, restriction: acl($0.networkACLs))
        }
        services += graph.all(KeyVault.self).map {
            ExposedService(resource: $0, kind: "key vault", property: "properties.publicNetworkAccess", value: state($0.publicNetworkAccess),
                           publicAccessDisabled: $0.publicNetworkAccess == .disabled, restriction: acl($0.networkACLs))
        }
        services += graph.all(ContainerRegistry.self).map {
            ExposedService(resource: $0, kind: "registry", property: "properties.publicNetworkAccess", value: state($0.publicNetworkAccess),
                           publicAccessDisabled: $0.publicNetworkAccess == .disabled,
                           restriction: $0.networkRuleDefaultAction == .deny ? "network rule default action Deny" : nil)
        }
        services += graph.all(CognitiveServicesAccount.self).map {
            ExposedService(resource: $0, kind: "cognitive services account", property: "properties.publicNetworkAccess",
                           value: state($0.publicNetworkAccess), publicAccessDisabled: $0.publicNetworkAccess == .disabled, restriction: nil)
        }
        services += graph.all(ApplicationInsights.self).map {
            ExposedService(resource: $0, kind: "application insights component",
                           property: "properties.publicNetworkAccessForIngestion/ForQuery",
                           value: "\($0.publicNetworkAccessForIngestion.rawValue)/\($0.publicNetworkAccessForQuery.rawValue)",
                           publicAccessDisabled: !$0.publicNetworkAccessForIngestion.isEnabled && !$0.publicNetworkAccessForQuery.isEnabled,
                           restriction: nil)
        }
        services += graph.all(LogAnalyticsWorkspace.self).map {
            ExposedService(resource: $0, kind: "log analytics workspace",
                           property: "properties.publicNetworkAccessForIngestion/ForQuery",
                           value: "\($0.publicNetworkAccessForIngestion.rawValue)/\($0.publicNetworkAccessForQuery.rawValue)",
                           publicAccessDisabled: !$0.publicNetworkAccessForIngestion.isEnabled && !$0.publicNetworkAccessForQuery.isEnabled,
                           restriction: nil)
        }
        return services
    }

    /// How the service is reached privately: its private endpoints, managed-network private-endpoint rules, or
    /// (for Azure Monitor resources) an AMPLS with a private endpoint.
    func privatePaths(to resource: ResourceID) -> [Evidence] {
        var paths: [Evidence] = privateEndpoints(targeting: resource).map { .related($0.id, "private endpoint") }
        for workspace in graph.all(MachineLearningWorkspace.self) {
            for rule in workspace.managedNetwork.outboundRules where rule.kind == .privateEndpoint && rule.serviceResourceID == resource {
                paths.append(.related(workspace.id, "managed network private-endpoint rule '\(rule.name)'"))
            }
        }
        for scope in graph.all(MonitorPrivateLinkScope.self) where scope.scopedResources.contains(resource) {
            paths += privateEndpoints(targeting: scope.id).map { .related($0.id, "private endpoint of private link scope '\(scope.name)'") }
        }
        return paths
    }
}
