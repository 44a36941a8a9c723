import PalisadeModel

/// Human titles and one-line summaries of resources, for inventories.
public enum ResourceSummary {
    /// The plural title of a resource type.
    public static func title(for type: ResourceType) -> String {
        let titles: [ResourceType: String] = [
            .resourceGroup: "Resource groups", .virtualNetwork: "Virtual networks", .subnet: "Subnets",
            .networkSecurityGroup: "Network security groups", .applicationSecurityGroup: "Application security groups",
            .routeTable: "Route tables", .publicIPAddress: "Public IP addresses", .networkInterface: "Network interfaces",
            .virtualMachine: "Virtual machines", .bastionHost: "Bastion hosts", .virtualNetworkGateway: "Virtual network gateways",
            .natGateway: "NAT gateways", .azureFirewall: "Azure Firewalls", .firewallPolicy: "Firewall policies",
            .ipGroup: "IP groups", .privateEndpoint: "Private endpoints", .privateDnsZone: "Private DNS zones",
            .serviceEndpointPolicy: "Service endpoint policies", .machineLearningWorkspace: "Machine learning workspaces",
            .machineLearningCompute: "Machine learning computes", .storageAccount: "Storage accounts", .keyVault: "Key vaults",
            .keyVaultSecret: "Key vault secrets", .containerRegistry: "Container registries",
            .cognitiveServicesAccount: "Azure AI services accounts", .applicationInsights: "Application Insights",
            .logAnalyticsWorkspace: "Log Analytics workspaces", .monitorPrivateLinkScope: "Azure Monitor private link scopes",
            .diagnosticSetting: "Diagnostic settings", .userAssignedIdentity: "User-assigned identities",
            .roleAssignment: "Role assignments",
            .loadBalancer: "Load balancers", .localNetworkGateway: "Local network gateways",
            .virtualNetworkGatewayConnection: "Gateway connections", .dnsResolver: "DNS private resolvers",
            .dnsForwardingRuleset: "DNS forwarding rulesets",
            .networkManager: "Virtual network managers", .virtualWAN: "Virtual WANs",
            .virtualHub: "Virtual hubs",
        ]
        return titles[type] ?? type.rawValue
    }

    /// A one-line summary of the settings that matter for isolation. Never includes secret values.
    public static func line(for resource: Resource, in graph: ResourceGraph) -> String {
        func access(_ state: EnablementState?) -> String { "public network access \(state?.rawValue.lowercased() ?? "not set")" }
        switch resource {
        case .resourceGroup(let r): return r.location ?? ""
        case .virtualNetwork(let r):
            return r.addressSpace.map(\.description).joined(separator: ", ")
                + (r.dnsServers.isEmpty ? ", Azure DNS" : ", DNS \(r.dnsServers.map(\.description).joined(separator: ","))")
                + (r.peerings.isEmpty ? "" : ", \(r.peerings.count) peering(s)")
        case .subnet(let r):
            var parts = [r.addressPrefixes.map(\.description).joined(separator: ", ")]
            if let nsg = r.networkSecurityGroup { parts.append("nsg \(nsg.name)") }
            if let table = r.routeTable { parts.append("routes \(table.name)") }
            parts.append("PE policies \(r.privateEndpointNetworkPolicies.rawValue)")
            if !r.serviceEndpoints.isEmpty { parts.append("service endpoints \(r.serviceEndpoints.map(\.service).joined(separator: ","))") }
            if !r.serviceEndpointPolicies.isEmpty { parts.append("endpoint policy \(r.serviceEndpointPolicies.map(\.name).joined(separator: ","))") }
            if r.defaultOutboundAccess == false { parts.append("no default outbound") }
            return parts.joined(separator: ", ")
        case .networkSecurityGroup(let r):
            let inbound = r.securityRules.filter { $0.direction == .inbound }.count
            return "\(inbound) inbound + \(r.securityRules.count - inbound) outbound custom rules"
        case .routeTable(let r):
            return r.routes.map { "\($0.destination) → \($0.nextHopType.rawValue)\($0.nextHopIPAddress.map { " \($0)" } ?? "")" }
                .joined(separator: "; ")
        case .publicIPAddress(let r): return "\(r.sku), \(r.allocationMethod)"
        case .networkInterface(let r):
            return r.ipConfigurations.map { "\($0.subnet?.name ?? "?")\($0.publicIPAddress == nil ? ", no public IP" : ", public IP \($0.publicIPAddress!.name)")" }
                .joined(separator: "; ")
        case .virtualMachine(let r):
            let password: String = switch r.adminPassword {
            case .keyVaultSecret(let vault, let name)?: "password in \(vault.name)/\(name)"
            case .generated?: "generated password"
            case .secureParameter(let name)?: "password from secure parameter \(name)"
            case .redactedLiteral?: "literal password (redacted)"
            case nil: "no password"
            }
            return "\(r.size), \(r.osType), \(password)"
        case .bastionHost(let r): return "\(r.sku)"
        case .virtualNetworkGateway(let r):
            let pool = r.vpnClientConfiguration.map { ", P2S pool \($0.addressPool.map(\.description).joined(separator: ","))" } ?? ""
            return "\(r.gatewayType) \(r.sku)\(pool)"
        case .natGateway(let r): return "\(r.publicIPAddresses.count) public IP(s)"
        case .azureFirewall(let r):
            let ip = r.privateIPAddress.map { ", private IP \($0)" } ?? ""
            return "\(r.skuTier)\(ip)\(r.firewallPolicy.map { ", policy \($0.name)" } ?? ", classic rules")"
        case .firewallPolicy(let r):
            let rules = r.ruleCollectionGroups.flatMap(\.ruleCollections).map(\.rules.count).reduce(0, +)
            return "\(r.skuTier), DNS proxy \(r.dnsProxyEnabled ? "on" : "off"), threat intel \(r.threatIntelMode.rawValue), \(r.ruleCollectionGroups.count) groups, \(rules) rules"
        case .ipGroup(let r): return "\(r.ipAddresses.count) addresses"
        case .privateEndpoint(let r):
            return "→ \(r.target?.name ?? "?") (\(r.groupIDs.joined(separator: ","))), zones \(r.privateDnsZoneGroup?.zones.map(\.name).joined(separator: ", ") ?? "none")"
        case .privateDnsZone(let r):
            return "linked to \(r.virtualNetworkLinks.map(\.virtualNetwork.name).joined(separator: ", ").nonEmpty ?? "no VNet")"
        case .serviceEndpointPolicy(let r):
            return r.definitions.map { ($0.serviceResources.map { ResourceID($0).name } + $0.serviceAliases).joined(separator: ", ") }.joined(separator: "; ")
        case .machineLearningWorkspace(let r):
            var parts = [access(r.publicNetworkAccess), "hbi \(r.highBusinessImpact)", "managed network \(r.managedNetwork.isolationMode.rawValue)"]
            if let build = r.imageBuildCompute { parts.append("image build on \(build)") }
            if let mode = r.systemDatastoresAuthMode { parts.append("datastores \(mode)") }
            if !r.managedNetwork.outboundRules.isEmpty { parts.append("\(r.managedNetwork.outboundRules.count) outbound rule(s)") }
            return parts.joined(separator: ", ")
        case .machineLearningCompute(let r):
            let nodes = r.isInstance ? "instance" : "\(r.minNodes)–\(r.maxNodes) nodes"
            return "\(r.computeType) \(r.vmSize), \(nodes), \(r.enableNodePublicIP ? "public IP" : "no public IP"), \(r.subnet.map { "subnet \($0.name)" } ?? "managed network")"
        case .storageAccount(let r):
            return "\(r.sku), \(access(r.publicNetworkAccess)), shared key \(r.allowSharedKeyAccess ? "on" : "off"), default \(r.networkACLs.defaultAction.rawValue)"
        case .keyVault(let r):
            return "\(access(r.publicNetworkAccess)), RBAC \(r.enableRbacAuthorization ? "on" : "off"), purge protection \(r.enablePurgeProtection ? "on" : "off")"
        case .keyVaultSecret(let r):
            if case .generated(let length) = r.value { return "generated at deployment (\(length) chars)" }
            return "value not shown"
        case .containerRegistry(let r):
            return "\(r.sku), \(access(r.publicNetworkAccess)), admin user \(r.adminUserEnabled ? "on" : "off")"
        case .cognitiveServicesAccount(let r): return "\(r.kind), \(access(r.publicNetworkAccess))"
        case .applicationInsights(let r):
            let ingestion = r.publicNetworkAccessForIngestion.rawValue.lowercased(), query = r.publicNetworkAccessForQuery.rawValue.lowercased()
            let access = ingestion == query ? "public network access \(ingestion) (ingestion and query)"
                : "public network access \(ingestion) for ingestion, \(query) for query"
            return "workspace \(r.workspace?.name ?? "classic"), \(access)"
        case .logAnalyticsWorkspace(let r): return "\(r.sku), \(r.retentionInDays) days"
        case .monitorPrivateLinkScope(let r):
            let mode = r.ingestionAccessMode == r.queryAccessMode ? "access mode \(r.ingestionAccessMode) (ingestion and query)"
                : "access mode \(r.ingestionAccessMode) for ingestion, \(r.queryAccessMode) for query"
            return "\(mode), \(r.scopedResources.count) scoped"
        case .diagnosticSetting(let r): return "\(r.target.name) → \(r.workspace?.name ?? "?")"
        case .userAssignedIdentity: return ""
        case .roleAssignment(let r):
            return "\(r.roleName ?? r.roleDefinitionID) for \(r.principal?.name ?? r.principalObjectID ?? "?") on \(r.scope.name)"
        case .applicationSecurityGroup: return ""
        case .loadBalancer(let r):
            return "\(r.sku), \(r.frontends.count) frontend(s), \(r.rules.count) rule(s), \(r.inboundNatRules.count) NAT rule(s)"
        case .localNetworkGateway(let r):
            return "on-premises \(r.addressPrefixes.map(\.description).joined(separator: ", ").nonEmpty ?? "no prefixes")"
        case .virtualNetworkGatewayConnection(let r):
            return "\(r.connectionType) \(r.virtualNetworkGateway?.name ?? "?") → \((r.localNetworkGateway ?? r.remoteVirtualNetworkGateway ?? r.expressRouteCircuit)?.name ?? "?")"
        case .dnsResolver(let r):
            return "\(r.inboundEndpoints.count) inbound, \(r.outboundEndpoints.count) outbound endpoint(s) in \(r.virtualNetwork?.name ?? "?")"
        case .dnsForwardingRuleset(let r):
            return "\(r.rules.count) rule(s), linked to \(r.virtualNetworkLinks.map(\.virtualNetwork.name).joined(separator: ", ").nonEmpty ?? "no VNet")"
        case .networkManager(let r):
            let admin = r.securityAdminConfigurations.flatMap(\.ruleCollections).map(\.rules.count).reduce(0, +)
            return "\(r.networkGroups.count) network group(s), \(admin) security admin rule(s), \(r.connectivityConfigurations.count) connectivity configuration(s)"
        case .virtualWAN(let r): return "\(r.wanType), branch-to-branch \(r.allowBranchToBranchTraffic ? "on" : "off")"
        case .virtualHub(let r):
            var parts = [r.addressPrefix?.description ?? "no address prefix", "\(r.virtualNetworkConnections.count) VNet connection(s)"]
            if let fw = r.azureFirewall { parts.append("firewall \(fw.name)") }
            if let intent = r.routingIntent {
                parts.append("routing intent " + intent.policies.flatMap(\.destinations).map(\.rawValue).joined(separator: "+"))
            }
            return parts.joined(separator: ", ")
        case .opaque(let r): return r.type.rawValue
        }
    }
}

extension String {
    /// Nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
