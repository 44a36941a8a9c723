import Foundation
import PalisadeModel

extension GraphBuilder {
    /// Log Analytics, workspace-based Application Insights and (by default) an AMPLS in private-only mode.
    mutating func addMonitoring() {
        var logs = LogAnalyticsWorkspace(id: naming.logAnalytics, location: location)
        logs.retentionInDays = spec.monitoring.retentionDays
        var insights = ApplicationInsights(id: naming.applicationInsights, location: location)
        insights.workspace = naming.logAnalytics
        if spec.monitoring.privateLinkScope {
            logs.publicNetworkAccessForIngestion = .disabled
            logs.publicNetworkAccessForQuery = .disabled
            insights.publicNetworkAccessForIngestion = .disabled
            insights.publicNetworkAccessForQuery = .disabled
            var scope = MonitorPrivateLinkScope(id: naming.privateLinkScope)
            scope.ingestionAccessMode = spec.monitoring.accessMode
            scope.queryAccessMode = spec.monitoring.accessMode
            scope.scopedResources = [naming.logAnalytics, naming.applicationInsights]
            insert(scope)
        }
        insert(logs)
        insert(insights)
    }

    /// Storage (shared key off, deny by default, the workspace as a resource-instance rule), key vault (RBAC,
    /// purge protection) and a Premium registry with admin off; all with public access disabled.
    mutating func addDataServices() {
        var storage = StorageAccount(id: naming.storageAccount, location: location)
        storage.sku = spec.storage.sku
        storage.publicNetworkAccess = .disabled
        storage.allowSharedKeyAccess = spec.storage.sharedKeyAccess
        storage.isHnsEnabled = spec.storage.services.contains(.dfs)
        storage.networkACLs = NetworkACLs(defaultAction: .deny, bypass: ["AzureServices"])
        // the workspace reaches its storage as a trusted resource instance.
        storage.networkACLs.resourceAccessRules = [ResourceAccessRule(tenantID: "", resourceID: naming.workspace.rawValue)]
        insert(storage)

        var vault = KeyVault(id: naming.keyVault, location: location)
        vault.enableRbacAuthorization = spec.keyVault.rbacAuthorization
        vault.enablePurgeProtection = spec.keyVault.purgeProtection
        vault.softDeleteRetentionInDays = spec.keyVault.softDeleteRetentionDays
        vault.publicNetworkAccess = .disabled
        vault.networkACLs = NetworkACLs(defaultAction: .deny, bypass: ["AzureServices"])
        insert(vault)

        var registry = ContainerRegistry(id: naming.containerRegistry, location: location)
        registry.sku = spec.registry.sku
        registry.adminUserEnabled = spec.registry.adminUser
        registry.publicNetworkAccess = .disabled
        registry.networkRuleDefaultAction = .deny
        insert(registry)

        if spec.services.openAI {
            var account = CognitiveServicesAccount(id: naming.openAI, location: location)
            account.customSubDomainName = naming.openAI.name
            insert(account)
        }
    }

    /// The workspace and its computes.
    mutating func addWorkspace() {
        var workspace = MachineLearningWorkspace(id: naming.workspace, location: location)
        workspace.publicNetworkAccess = spec.workspace.publicNetworkAccess ? .enabled : .disabled
        workspace.highBusinessImpact = spec.workspace.highBusinessImpact
        workspace.systemDatastoresAuthMode = spec.workspace.systemDatastoresAuthMode
        workspace.storageAccount = naming.storageAccount
        workspace.keyVault = naming.keyVault
        workspace.containerRegistry = naming.containerRegistry
        workspace.applicationInsights = naming.applicationInsights
        if spec.compute.imageBuild, let cluster = spec.compute.cluster { workspace.imageBuildCompute = cluster.name }
        if spec.services.userAssignedIdentity {
            workspace.identity = ManagedIdentity(systemAssigned: false, userAssigned: [naming.userAssignedIdentity])
            workspace.primaryUserAssignedIdentity = naming.userAssignedIdentity
        }
        let managed = spec.workspace.managedNetwork
        workspace.managedNetwork.isolationMode = managed.isolationMode
        if managed.isolationMode != .disabled {
            workspace.managedNetwork.firewallSku = managed.firewallSku
            workspace.managedNetwork.outboundRules = managed.outboundRules.map(outboundRule)
        }
        insert(workspace)

        let computeSubnet = spec.usesManagedNetwork ? nil : plan.subnet(for: .compute).map { naming.subnet($0.name) }
        if let cluster = spec.compute.cluster {
            var compute = MachineLearningCompute(id: naming.compute(cluster.name), location: location)
            compute.computeType = "AmlCompute"
            compute.vmSize = cluster.vmSize
            compute.minNodes = cluster.minNodes
            compute.maxNodes = cluster.maxNodes
            compute.subnet = computeSubnet
            compute.enableNodePublicIP = spec.compute.publicIP
            compute.identity = .system
            compute.nodeIdleTimeBeforeScaleDown = "PT30M"
            insert(compute)
        }
        if let instance = spec.compute.instance {
            var compute = MachineLearningCompute(id: naming.compute(instance.name), location: location)
            compute.computeType = "ComputeInstance"
            compute.vmSize = instance.vmSize
            compute.subnet = computeSubnet
            compute.enableNodePublicIP = spec.compute.publicIP
            compute.identity = .system
            compute.assignedUserObjectID = instance.assignedUser
            insert(compute)
        }
    }

    private func outboundRule(_ rule: OutboundRuleSpec) -> ManagedOutboundRule {
        switch rule.type {
        case .fqdn:
            return .fqdn(rule.name, rule.destination ?? "")
        case .serviceTag:
            return .serviceTag(rule.name, tag: rule.serviceTag ?? "", protocol: rule.protocol ?? "TCP", ports: rule.ports ?? "443")
        case .privateEndpoint:
            let target: ResourceID = switch rule.target {
            case "openai": naming.openAI
            case "storage": naming.storageAccount
            case "keyVault": naming.keyVault
            case "registry": naming.containerRegistry
            default: ResourceID(rule.target ?? "")
            }
            let defaultSubresource = switch rule.target {
            case "openai": "account"
            case "storage": "blob"
            case "keyVault": "vault"
            case "registry": "registry"
            default: ""
            }
            return .privateEndpoint(rule.name, target: target, subresource: rule.subresource ?? defaultSubresource)
        }
    }

    /// Every private endpoint the workspace needs, each with its DNS zone group, and the zones linked to the VNet.
    /// Assumes the private-endpoint subnet exists.
    mutating func addPrivateEndpoints() {
        guard let subnet = plan.subnet(for: .privateEndpoints) else { return }
        var zones: Set<String> = []
        func endpoint(_ purpose: String, target: ResourceID, group: String, zoneNames: [String]) -> PrivateEndpoint {
            var endpoint = PrivateEndpoint(id: naming.privateEndpoint(purpose), location: location)
            endpoint.subnet = naming.subnet(subnet.name)
            endpoint.target = target
            endpoint.groupIDs = [group]
            endpoint.privateDnsZoneGroup = PrivateDnsZoneGroup(zones: zoneNames.map(naming.privateDnsZone))
            zones.formUnion(zoneNames)
            return endpoint
        }
        insert(endpoint("mlw", target: naming.workspace, group: "amlworkspace", zoneNames: PrivateLinkCatalog.workspaceZones))
        for service in Set(spec.storage.services + [.blob, .file]).sorted() {
            insert(endpoint("st-\(service.rawValue)", target: naming.storageAccount, group: service.rawValue,
                            zoneNames: [service.privateDnsZone]))
        }
        insert(endpoint("kv", target: naming.keyVault, group: "vault", zoneNames: [PrivateLinkCatalog.keyVaultZone]))
        insert(endpoint("cr", target: naming.containerRegistry, group: "registry", zoneNames: [PrivateLinkCatalog.registryZone]))
        if spec.monitoring.privateLinkScope {
            insert(endpoint("ampls", target: naming.privateLinkScope, group: "azuremonitor", zoneNames: PrivateLinkCatalog.monitorZones))
        }
        if spec.services.openAI {
            insert(endpoint("oai", target: naming.openAI, group: "account", zoneNames: [PrivateLinkCatalog.openAIZone]))
        }
        for zoneName in zones.sorted() {
            var zone = PrivateDnsZone(id: naming.privateDnsZone(zoneName))
            zone.virtualNetworkLinks = [VirtualNetworkLink(name: "link-vnet-\(spec.name)", virtualNetwork: naming.virtualNetwork)]
            insert(zone)
        }
    }

    /// Well-known built-in role definition IDs.
    enum BuiltInRole {
        static let reader = ("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader")
        static let storageBlobDataContributor = ("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor")
        static let storageFileDataPrivilegedContributor = ("69566ab7-960f-475b-8e7c-b3118f30c6bd", "Storage File Data Privileged Contributor")
        static let acrPull = ("7f951dda-4ed3-4680-a7ca-43fe172d538d", "AcrPull")
        static let networkConnectionApprover = ("b556d68e-0be0-4f35-a333-ad7ee1ce17ea", "Azure AI Enterprise Network Connection Approver")
    }

    /// Identities and the role assignments identity-based datastores and private image pulls need
    /// (approver role for managed networks, docs/semantics.md#managed-network-limits).
    mutating func addIdentitiesAndRoles() {
        func assign(_ role: (String, String), scope: ResourceID, to principal: ResourceID, tag _: String) {
            // Role assignment names must be GUIDs; derive one from what the assignment means.
            var assignment = RoleAssignment(name: StableGUID.make(scope.rawValue, role.0, principal.rawValue),
                                            scope: scope, roleDefinitionID: role.0)
            assignment.roleName = role.1
            assignment.principal = principal
            insert(assignment)
        }
        let workspacePrincipal = spec.services.userAssignedIdentity ? naming.userAssignedIdentity : naming.workspace
        if spec.services.userAssignedIdentity {
            insert(UserAssignedIdentity(id: naming.userAssignedIdentity, location: location))
            assign(BuiltInRole.networkConnectionApprover, scope: naming.resourceGroupID, to: naming.userAssignedIdentity, tag: "mlw")
        }
        assign(BuiltInRole.storageBlobDataContributor, scope: naming.storageAccount, to: workspacePrincipal, tag: "mlw")
        assign(BuiltInRole.storageFileDataPrivilegedContributor, scope: naming.storageAccount, to: workspacePrincipal, tag: "mlw")
        for endpoint in graph.privateEndpoints(targeting: naming.storageAccount) {
            assign(BuiltInRole.reader, scope: endpoint.id, to: workspacePrincipal, tag: "mlw")
        }
        if let cluster = spec.compute.cluster {
            assign(BuiltInRole.acrPull, scope: naming.containerRegistry, to: naming.compute(cluster.name), tag: cluster.name)
            assign(BuiltInRole.storageBlobDataContributor, scope: naming.storageAccount, to: naming.compute(cluster.name), tag: cluster.name)
        }
    }

    /// Diagnostic settings to Log Analytics for every resource whose logs matter to an audit.
    mutating func addDiagnostics() {
        guard spec.monitoring.diagnostics else { return }
        let targets: [ResourceID] = graph.resources.compactMap { resource in
            switch resource {
            case .azureFirewall, .bastionHost, .keyVault, .containerRegistry, .machineLearningWorkspace,
                 .networkSecurityGroup, .virtualNetwork, .virtualNetworkGateway, .storageAccount, .publicIPAddress:
                resource.id
            default: nil
            }
        }
        for target in targets {
            insert(DiagnosticSetting(name: "to-log-analytics", target: target, workspace: naming.logAnalytics))
        }
    }
}
