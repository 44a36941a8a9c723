import PalisadeModel

/// The Terraform address (`type.label`) of every graph resource, assigned once so references are stable.
struct TerraformSymbols: Sendable {
    private var addresses: [ResourceID: (type: String, label: String)] = [:]
    /// Resources read as data sources (reused existing subnets): their addresses start with `data.`.
    private var dataSources: Set<ResourceID> = []

    init(context: RenderContext) {
        dataSources = context.reusedSubnets
        var byType: [String: [Resource]] = [:]
        for resource in context.graph.resources {
            guard let type = Self.terraformType(resource) else { continue }
            byType[type, default: []].append(resource)
        }
        for (type, resources) in byType.sorted(by: { $0.key < $1.key }) {
            var used: Set<String> = []
            // A resource read from Terraform keeps its own label (`azurerm_subnet.training` stays `training`), so
            // rendered code and fix snippets name what the user wrote; the first of a label wins, in ID order.
            for resource in resources {
                guard let label = Self.userLabel(resource, type: type), !used.contains(label) else { continue }
                used.insert(label)
                addresses[resource.id] = (type, label)
            }
            for resource in resources where addresses[resource.id] == nil {
                var label = resources.count == 1 && !Self.alwaysNamed(resource) ? "main" : Self.baseLabel(resource, context: context)
                if label.isEmpty || label.first!.isNumber { label = "r_" + label }
                var candidate = label, counter = 2
                while used.contains(candidate) {
                    candidate = "\(label)_\(counter)"
                    counter += 1
                }
                used.insert(candidate)
                addresses[resource.id] = (type, candidate)
            }
        }
    }

    /// The label a resource had in the Terraform configuration it was read from: its source path is a root
    /// module address `type.label` of the same type (no module prefix, no instance key).
    static func userLabel(_ resource: Resource, type: String) -> String? {
        guard let path = resource.source?.path, path.hasPrefix(type + ".") else { return nil }
        let label = path.dropFirst(type.count + 1)
        guard let first = label.first, first.isLetter || first == "_",
              label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else { return nil }
        return String(label)
    }

    /// Kinds whose label always says what they are, even when there is only one.
    private static func alwaysNamed(_ resource: Resource) -> Bool {
        switch resource {
        case .keyVaultSecret, .privateDnsZone, .subnet, .networkSecurityGroup, .roleAssignment, .diagnosticSetting,
             .privateEndpoint, .publicIPAddress, .machineLearningCompute: true
        default: false
        }
    }

    /// The Terraform resource type for a graph resource, or nil when the renderer does not express it.
    static func terraformType(_ resource: Resource) -> String? {
        switch resource {
        case .resourceGroup: "azurerm_resource_group"
        case .virtualNetwork: "azurerm_virtual_network"
        case .subnet: "azurerm_subnet"
        case .networkSecurityGroup: "azurerm_network_security_group"
        case .applicationSecurityGroup: "azurerm_application_security_group"
        case .routeTable: "azurerm_route_table"
        case .publicIPAddress: "azurerm_public_ip"
        case .networkInterface: "azurerm_network_interface"
        case .virtualMachine(let vm): vm.osType.lowercased() == "linux" ? "azurerm_linux_virtual_machine" : "azurerm_windows_virtual_machine"
        case .bastionHost: "azurerm_bastion_host"
        case .virtualNetworkGateway: "azurerm_virtual_network_gateway"
        case .natGateway: "azurerm_nat_gateway"
        case .azureFirewall: "azurerm_firewall"
        case .firewallPolicy: "azurerm_firewall_policy"
        case .ipGroup: "azurerm_ip_group"
        case .privateEndpoint: "azurerm_private_endpoint"
        case .privateDnsZone: "azurerm_private_dns_zone"
        case .serviceEndpointPolicy: "azurerm_subnet_service_endpoint_storage_policy"
        case .machineLearningWorkspace: "azurerm_machine_learning_workspace"
        case .machineLearningCompute(let compute):
            compute.isInstance ? "azurerm_machine_learning_compute_instance" : "azurerm_machine_learning_compute_cluster"
        case .storageAccount: "azurerm_storage_account"
        case .keyVault: "azurerm_key_vault"
        case .keyVaultSecret: "azapi_resource"
        case .containerRegistry: "azurerm_container_registry"
        case .cognitiveServicesAccount: "azurerm_cognitive_account"
        case .applicationInsights: "azurerm_application_insights"
        case .logAnalyticsWorkspace: "azurerm_log_analytics_workspace"
        case .monitorPrivateLinkScope: "azurerm_monitor_private_link_scope"
        case .diagnosticSetting: "azurerm_monitor_diagnostic_setting"
        case .userAssignedIdentity: "azurerm_user_assigned_identity"
        case .roleAssignment: "azurerm_role_assignment"
        // Platform-owned pieces (on-premises sites, connections, DNS resolvers, load balancers) are read for the
        // network engine; the renderers do not create them.
        case .loadBalancer, .localNetworkGateway, .virtualNetworkGatewayConnection, .dnsResolver, .dnsForwardingRuleset: nil
        case .networkManager, .virtualWAN, .virtualHub: nil  // platform-owned: read, never rendered
        case .opaque(let opaque): TemplateBuilder.isRenderableOpaque(opaque) ? "azapi_resource" : nil
        }
    }

    private static func baseLabel(_ resource: Resource, context: RenderContext) -> String {
        switch resource {
        case .roleAssignment(let assignment):
            let role = sanitize(assignment.roleName ?? assignment.roleDefinitionID)
            let principal = assignment.principal.map { sanitize(literalName($0, context)) } ?? "principal"
            let scope = sanitize(literalName(assignment.scope, context))
            return "\(role)_\(principal)_on_\(scope)"
        case .diagnosticSetting(let setting):
            let kind = setting.target.resourceType?.segments.last ?? "resource"
            return sanitize("\(kind)_\(literalName(setting.target, context))")
        default:
            return sanitize(literalName(resource.id, context))
        }
    }

    private static func literalName(_ id: ResourceID, _ context: RenderContext) -> String {
        let parts = context.nameParts(id)
        let literal = parts.compactMap { part -> String? in
            switch part {
            case .literal(let text): text
            case .suffix: context.suffix
            case .environmentName: nil
            }
        }.joined()
        return literal.isEmpty ? "main" : literal
    }

    /// Lower-case letters, digits and single underscores.
    static func sanitize(_ text: String) -> String {
        var out = ""
        for character in text.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                out.append(character)
            } else if out.last != "_" {
                out.append("_")
            }
        }
        while out.hasPrefix("_") { out.removeFirst() }
        while out.hasSuffix("_") { out.removeLast() }
        return out
    }

    /// `type.label` for a resource in the graph, or nil.
    func address(_ id: ResourceID?) -> String? {
        guard let id, let entry = addresses[id] else { return nil }
        return (dataSources.contains(id) ? "data." : "") + "\(entry.type).\(entry.label)"
    }

    /// The Terraform type and label for a resource, or nil.
    func entry(_ id: ResourceID) -> (type: String, label: String)? { addresses[id] }
}
