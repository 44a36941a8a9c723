import Foundation
import PalisadeModel

extension GraphBuilder {
    /// Log Analytics, workspace-based Application Insights and (by default) an AMPLS in Open access mode: Azure
    /// Machine Learning requires "the open Private Link mode in Azure Monitor"
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#azure-monitor). The scope
    /// still carries this environment's own Log Analytics and Application Insights over the private endpoint; Open
    /// lets compute reach the Azure Monitor resources outside the scope that the service uses.
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
        storage.sku = spec.storage.sku ?? (naming.region.hasAvailabilityZones ? "Standard_ZRS" : "Standard_LRS")
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
            if managed.isolationMode == .allowOnlyApprovedOutbound {
                // Approved-only mode blocks the internet, so the declared package sources become FQDN outbound
                // rules (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#scenario-access-public-machine-learning-packages).
                // FQDN rules run on a managed Azure Firewall, billed separately (Standard SKU by default).
                let existing = Set(workspace.managedNetwork.outboundRules.compactMap { $0.fqdn?.lowercased() })
                for host in spec.packageSources.hosts where !existing.contains(host) {
                    let name = "package-" + host.replacingOccurrences(of: "*.", with: "any-").replacingOccurrences(of: ".", with: "-")
                    workspace.managedNetwork.outboundRules.append(.fqdn(name, host))
                }
                // ARM keys outbound rules by name; keep them in that order so every rendering reads back the same.
                workspace.managedNetwork.outboundRules.sort { $0.name < $1.name }
            }
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
            var made = ManagedOutboundRule.privateEndpoint(rule.name, target: target, subresource: rule.subresource ?? defaultSubresource)
            made.sparkEnabled = rule.sparkEnabled
            return made
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
            // In a landing zone the endpoints register in the platform's zones (validated to exist).
            endpoint.privateDnsZoneGroup = PrivateDnsZoneGroup(zones: zoneNames.map { platformZone($0) ?? naming.privateDnsZone($0) })
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
        guard spec.landingZone == nil else { return }
        for zoneName in zones.sorted() {
            var zone = PrivateDnsZone(id: naming.privateDnsZone(zoneName))
            zone.virtualNetworkLinks = [VirtualNetworkLink(name: "link-vnet-\(spec.name)", virtualNetwork: naming.virtualNetwork)]
            insert(zone)
        }
    }

    /// Identities and the role assignments identity-based datastores and private image pulls need (storage
    /// private endpoint Reader for studio: https://learn.microsoft.com/azure/machine-learning/how-to-enable-studio-virtual-network),
    /// the approver role managed networks need for private endpoints they create
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network), and, for a user-assigned
    /// workspace identity, the roles Microsoft's table lists on the workspace and its associated resources
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication#user-assigned-managed-identity).
    mutating func addIdentitiesAndRoles() {
        func assign(_ role: BuiltInRoleDefinition, scope: ResourceID, to principal: ResourceID) {
            // Role assignment names must be GUIDs; derive one from what the assignment means.
            var assignment = RoleAssignment(name: StableGUID.make(scope.rawValue, role.id, principal.rawValue),
                                            scope: scope, roleDefinitionID: role.id)
            assignment.roleName = role.name
            assignment.principal = principal
            insert(assignment)
        }
        let workspacePrincipal = spec.services.userAssignedIdentity ? naming.userAssignedIdentity : naming.workspace
        if spec.services.userAssignedIdentity {
            insert(UserAssignedIdentity(id: naming.userAssignedIdentity, location: location))
            assign(BuiltInRoles.networkConnectionApprover, scope: naming.resourceGroupID, to: naming.userAssignedIdentity)
            // The workspace does not exist before it is created with this identity, so Contributor for the workspace
            // (and Application Insights) is held on the resource group, as Microsoft's role-assignment template
            // does (quickstarts/microsoft.machinelearningservices/machine-learning-dependencies-role-assignment).
            for requirement in WorkspaceIdentityRoles.requirements(rbacVault: spec.keyVault.rbacAuthorization) {
                let scope: ResourceID = switch requirement.target {
                case .workspace, .applicationInsights: naming.resourceGroupID
                case .storage: naming.storageAccount
                case .keyVault: naming.keyVault
                case .containerRegistry: naming.containerRegistry
                }
                assign(requirement.role, scope: scope, to: naming.userAssignedIdentity)
            }
        }
        assign(BuiltInRoles.storageBlobDataContributor, scope: naming.storageAccount, to: workspacePrincipal)
        assign(BuiltInRoles.storageFileDataPrivilegedContributor, scope: naming.storageAccount, to: workspacePrincipal)
        for endpoint in graph.privateEndpoints(targeting: naming.storageAccount) {
            assign(BuiltInRoles.reader, scope: endpoint.id, to: workspacePrincipal)
        }
        if let cluster = spec.compute.cluster {
            assign(BuiltInRoles.acrPull, scope: naming.containerRegistry, to: naming.compute(cluster.name))
            assign(BuiltInRoles.storageBlobDataContributor, scope: naming.storageAccount, to: naming.compute(cluster.name))
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
