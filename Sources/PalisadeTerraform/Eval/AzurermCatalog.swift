import Foundation
import PalisadeModel

/// How azurerm resource types become ARM IDs, so `azurerm_x.y.id` is the real ID and references link resources.
/// ID formats follow each resource's "Import" section in the azurerm documentation
/// (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs).
enum AzurermCatalog {
    /// Resource-group-scoped types: azurerm type → ARM type.
    static let topLevel: [String: String] = [
        "azurerm_virtual_network": "Microsoft.Network/virtualNetworks",
        "azurerm_network_security_group": "Microsoft.Network/networkSecurityGroups",
        "azurerm_application_security_group": "Microsoft.Network/applicationSecurityGroups",
        "azurerm_route_table": "Microsoft.Network/routeTables",
        "azurerm_public_ip": "Microsoft.Network/publicIPAddresses",
        "azurerm_network_interface": "Microsoft.Network/networkInterfaces",
        "azurerm_linux_virtual_machine": "Microsoft.Compute/virtualMachines",
        "azurerm_windows_virtual_machine": "Microsoft.Compute/virtualMachines",
        "azurerm_virtual_machine": "Microsoft.Compute/virtualMachines",
        "azurerm_bastion_host": "Microsoft.Network/bastionHosts",
        "azurerm_virtual_network_gateway": "Microsoft.Network/virtualNetworkGateways",
        "azurerm_nat_gateway": "Microsoft.Network/natGateways",
        "azurerm_firewall": "Microsoft.Network/azureFirewalls",
        "azurerm_firewall_policy": "Microsoft.Network/firewallPolicies",
        "azurerm_ip_group": "Microsoft.Network/ipGroups",
        "azurerm_private_endpoint": "Microsoft.Network/privateEndpoints",
        "azurerm_private_dns_zone": "Microsoft.Network/privateDnsZones",
        "azurerm_subnet_service_endpoint_storage_policy": "Microsoft.Network/serviceEndpointPolicies",
        "azurerm_machine_learning_workspace": "Microsoft.MachineLearningServices/workspaces",
        "azurerm_storage_account": "Microsoft.Storage/storageAccounts",
        "azurerm_key_vault": "Microsoft.KeyVault/vaults",
        "azurerm_container_registry": "Microsoft.ContainerRegistry/registries",
        "azurerm_cognitive_account": "Microsoft.CognitiveServices/accounts",
        "azurerm_application_insights": "Microsoft.Insights/components",
        "azurerm_log_analytics_workspace": "Microsoft.OperationalInsights/workspaces",
        "azurerm_monitor_private_link_scope": "Microsoft.Insights/privateLinkScopes",
        "azurerm_user_assigned_identity": "Microsoft.ManagedIdentity/userAssignedIdentities",
        "azurerm_resource_group_template_deployment": "Microsoft.Resources/deployments",
        "azurerm_private_dns_resolver": "Microsoft.Network/dnsResolvers",
        "azurerm_network_watcher": "Microsoft.Network/networkWatchers",
        "azurerm_kubernetes_cluster": "Microsoft.ContainerService/managedClusters",
        "azurerm_search_service": "Microsoft.Search/searchServices",
        "azurerm_linux_web_app": "Microsoft.Web/sites",
        "azurerm_windows_web_app": "Microsoft.Web/sites",
        "azurerm_service_plan": "Microsoft.Web/serverFarms",
        "azurerm_mssql_server": "Microsoft.Sql/servers",
        "azurerm_cosmosdb_account": "Microsoft.DocumentDB/databaseAccounts",
        "azurerm_machine_learning_registry": "Microsoft.MachineLearningServices/registries",
        "azurerm_ai_services": "Microsoft.CognitiveServices/accounts",
        "azurerm_ai_foundry": "Microsoft.MachineLearningServices/workspaces",
        "azurerm_ai_foundry_project": "Microsoft.MachineLearningServices/workspaces",
        "azurerm_network_ddos_protection_plan": "Microsoft.Network/ddosProtectionPlans",
        "azurerm_private_link_service": "Microsoft.Network/privateLinkServices",
        "azurerm_lb": "Microsoft.Network/loadBalancers",
        "azurerm_dns_zone": "Microsoft.Network/dnszones",
        // Private endpoint targets seen in hashicorp/terraform-provider-azurerm's examples/private-endpoint.
        "azurerm_application_gateway": "Microsoft.Network/applicationGateways",
        "azurerm_cosmosdb_postgresql_cluster": "Microsoft.DBforPostgreSQL/serverGroupsv2",
        "azurerm_databricks_workspace": "Microsoft.Databricks/workspaces",
        "azurerm_managed_redis": "Microsoft.Cache/redisEnterprise",
        "azurerm_redis_cache": "Microsoft.Cache/redis",
        "azurerm_postgresql_flexible_server": "Microsoft.DBforPostgreSQL/flexibleServers",
        "azurerm_mysql_flexible_server": "Microsoft.DBforMySQL/flexibleServers",
        "azurerm_eventhub_namespace": "Microsoft.EventHub/namespaces",
        "azurerm_servicebus_namespace": "Microsoft.ServiceBus/namespaces",
        "azurerm_data_factory": "Microsoft.DataFactory/factories",
        "azurerm_synapse_workspace": "Microsoft.Synapse/workspaces",
        "azurerm_app_configuration": "Microsoft.AppConfiguration/configurationStores",
        "azurerm_signalr_service": "Microsoft.SignalRService/signalR",
        "azurerm_batch_account": "Microsoft.Batch/batchAccounts",
        "azurerm_virtual_hub": "Microsoft.Network/virtualHubs",
        "azurerm_virtual_wan": "Microsoft.Network/virtualWans",
        "azurerm_local_network_gateway": "Microsoft.Network/localNetworkGateways",
        "azurerm_virtual_network_gateway_connection": "Microsoft.Network/connections",
        "azurerm_private_dns_resolver_dns_forwarding_ruleset": "Microsoft.Network/dnsForwardingRulesets",
        "azurerm_network_manager": "Microsoft.Network/networkManagers",
        "azurerm_express_route_circuit": "Microsoft.Network/expressRouteCircuits",
        "azurerm_network_watcher_flow_log": "Microsoft.Network/networkWatchers/flowLogs",
        "azurerm_container_app_environment": "Microsoft.App/managedEnvironments",
        "azurerm_linux_function_app": "Microsoft.Web/sites",
        "azurerm_windows_function_app": "Microsoft.Web/sites",
    ]

    /// Child types whose ID is their parent's ID, a segment and their name: azurerm type → (parent argument, segment).
    static let childSegments: [String: (String, String)] = [
        "azurerm_lb_backend_address_pool": ("loadbalancer_id", "backendAddressPools"),
        "azurerm_lb_backend_address_pool_address": ("backend_address_pool_id", "addresses"),
        "azurerm_lb_probe": ("loadbalancer_id", "probes"),
        "azurerm_lb_rule": ("loadbalancer_id", "loadBalancingRules"),
        "azurerm_lb_nat_rule": ("loadbalancer_id", "inboundNatRules"),
        "azurerm_private_dns_resolver_inbound_endpoint": ("private_dns_resolver_id", "inboundEndpoints"),
        "azurerm_private_dns_resolver_outbound_endpoint": ("private_dns_resolver_id", "outboundEndpoints"),
        "azurerm_private_dns_resolver_forwarding_rule": ("dns_forwarding_ruleset_id", "forwardingRules"),
        "azurerm_private_dns_resolver_virtual_network_link": ("dns_forwarding_ruleset_id", "virtualNetworkLinks"),
        "azurerm_virtual_hub_connection": ("virtual_hub_id", "hubVirtualNetworkConnections"),
        "azurerm_virtual_hub_route_table": ("virtual_hub_id", "hubRouteTables"),
        "azurerm_virtual_hub_route_table_route": ("route_table_id", "routes"),
        "azurerm_virtual_hub_routing_intent": ("virtual_hub_id", "routingIntent"),
        "azurerm_network_manager_network_group": ("network_manager_id", "networkGroups"),
        "azurerm_network_manager_static_member": ("network_group_id", "staticMembers"),
        "azurerm_network_manager_security_admin_configuration": ("network_manager_id", "securityAdminConfigurations"),
        "azurerm_network_manager_admin_rule_collection": ("security_admin_configuration_id", "ruleCollections"),
        "azurerm_network_manager_admin_rule": ("admin_rule_collection_id", "rules"),
        "azurerm_network_manager_connectivity_configuration": ("network_manager_id", "connectivityConfigurations"),
    ]

    /// The ARM ID a resource of `type` with these arguments gets, or nil when an argument it needs is not known.
    static func armID(type: String, _ v: HCLValue, subscription: String) -> String? {
        func s(_ key: String) -> String? {
            if case .string(let text)? = v[key] { return text }
            return nil
        }
        let group = s("resource_group_name").map { "/subscriptions/\(subscription)/resourceGroups/\($0)" }
        switch type {
        case "azurerm_resource_group":
            return s("name").map { "/subscriptions/\(subscription)/resourceGroups/\($0)" }
        case "azurerm_subnet":
            guard let group, let vnet = s("virtual_network_name"), let name = s("name") else { return nil }
            return "\(group)/providers/Microsoft.Network/virtualNetworks/\(vnet)/subnets/\(name)"
        case "azurerm_network_security_rule":
            guard let group, let nsg = s("network_security_group_name"), let name = s("name") else { return nil }
            return "\(group)/providers/Microsoft.Network/networkSecurityGroups/\(nsg)/securityRules/\(name)"
        case "azurerm_route":
            guard let group, let table = s("route_table_name"), let name = s("name") else { return nil }
            return "\(group)/providers/Microsoft.Network/routeTables/\(table)/routes/\(name)"
        case "azurerm_virtual_network_peering":
            guard let group, let vnet = s("virtual_network_name"), let name = s("name") else { return nil }
            return "\(group)/providers/Microsoft.Network/virtualNetworks/\(vnet)/virtualNetworkPeerings/\(name)"
        case "azurerm_private_dns_zone_virtual_network_link":
            guard let group, let zone = s("private_dns_zone_name"), let name = s("name") else { return nil }
            return "\(group)/providers/Microsoft.Network/privateDnsZones/\(zone)/virtualNetworkLinks/\(name)"
        case "azurerm_private_dns_a_record", "azurerm_private_dns_cname_record":
            guard let group, let zone = s("zone_name"), let name = s("name") else { return nil }
            return "\(group)/providers/Microsoft.Network/privateDnsZones/\(zone)/\(type.hasSuffix("a_record") ? "A" : "CNAME")/\(name)"
        case "azurerm_machine_learning_compute_cluster", "azurerm_machine_learning_compute_instance":
            guard let workspace = s("machine_learning_workspace_id"), let name = s("name") else { return nil }
            return "\(workspace)/computes/\(name)"
        case "azurerm_key_vault_secret":
            // Terraform's own ID is the data-plane URL; the graph keys secrets by their ARM ID.
            guard let vault = s("key_vault_id"), let name = s("name") else { return nil }
            return "\(vault)/secrets/\(name)"
        case "azurerm_firewall_policy_rule_collection_group":
            guard let policy = s("firewall_policy_id"), let name = s("name") else { return nil }
            return "\(policy)/ruleCollectionGroups/\(name)"
        case "azurerm_firewall_application_rule_collection", "azurerm_firewall_network_rule_collection", "azurerm_firewall_nat_rule_collection":
            guard let group, let firewall = s("azure_firewall_name"), let name = s("name") else { return nil }
            let kind = type.contains("application") ? "applicationRuleCollections" : type.contains("network") ? "networkRuleCollections" : "natRuleCollections"
            return "\(group)/providers/Microsoft.Network/azureFirewalls/\(firewall)/\(kind)/\(name)"
        case "azurerm_monitor_diagnostic_setting":
            guard let target = s("target_resource_id"), let name = s("name") else { return nil }
            return "\(target)/providers/Microsoft.Insights/diagnosticSettings/\(name)"
        case "azurerm_role_assignment":
            guard let scope = s("scope"), let name = s("name") else { return nil }
            return "\(scope)/providers/Microsoft.Authorization/roleAssignments/\(name)"
        case "azurerm_monitor_private_link_scoped_service":
            guard let group, let scope = s("scope_name"), let name = s("name") else { return nil }
            return "\(group)/providers/Microsoft.Insights/privateLinkScopes/\(scope)/scopedResources/\(name)"
        case "azurerm_machine_learning_workspace_network_outbound_rule_fqdn",
             "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint",
             "azurerm_machine_learning_workspace_network_outbound_rule_service_tag":
            guard let workspace = s("workspace_id"), let name = s("name") else { return nil }
            return "\(workspace)/outboundRules/\(name)"
        case "azurerm_subnet_network_security_group_association", "azurerm_subnet_route_table_association",
             "azurerm_subnet_nat_gateway_association":
            return s("subnet_id")
        case "azurerm_nat_gateway_public_ip_association":
            guard let gateway = s("nat_gateway_id"), let address = s("public_ip_address_id") else { return nil }
            return "\(gateway)|\(address)"
        // Platform child resources: the parent's ID (an argument) and the child's ARM segment, as each type's
        // "Import" section shows it.
        case _ where childSegments[type] != nil:
            guard let child = childSegments[type], let parent = s(child.0), let name = s("name") else { return nil }
            return "\(parent)/\(child.1)/\(name)"
        case "azurerm_network_manager_deployment":
            // The provider's own ID form: `{networkManagerId}/commit|{location}|{scopeAccess}`.
            guard let manager = s("network_manager_id"), let location = s("location"), let scope = s("scope_access") else { return nil }
            return "\(manager)/commit|\(location.lowercased().replacingOccurrences(of: " ", with: ""))|\(scope)"
        case "azurerm_network_interface_backend_address_pool_association", "azurerm_network_interface_nat_rule_association":
            guard let nic = s("network_interface_id"), let configuration = s("ip_configuration_name"),
                  let target = s(type.hasSuffix("pool_association") ? "backend_address_pool_id" : "nat_rule_id") else { return nil }
            return "\(nic)/ipConfigurations/\(configuration)|\(target)"
        case "azapi_resource":
            guard let typeText = s("type"), let name = s("name"), let parent = s("parent_id") else { return nil }
            let armType = String(typeText.split(separator: "@").first ?? "")
            let segments = armType.split(separator: "/").map(String.init)
            guard segments.count >= 2 else { return nil }
            if let parentType = ResourceID(parent).resourceType, segments.count > 2,
               parentType.rawValue.lowercased() == segments.dropLast().joined(separator: "/").lowercased() {
                return "\(parent)/\(segments.last!)/\(name)"
            }
            return "\(parent)/providers/\(armType)/\(name)"
        case "azapi_update_resource":
            return s("resource_id")
        default:
            guard let armType = topLevel[type], let group, let name = s("name") else { return nil }
            return "\(group)/providers/\(armType)/\(name)"
        }
    }
}

extension Evaluator {
    /// A zero GUID standing in for the subscription, tenant and principal of whoever runs Terraform.
    static let placeholderGUID = "00000000-0000-0000-0000-000000000000"

    /// Adds the attributes the provider computes (IDs, random results, data source readings) to an instance.
    func computed(_ config: ResourceConfig, address: String, value: HCLValue, module: ModuleInstance) throws -> HCLValue {
        guard case .object(var members) = value else { return value }
        // Resource objects answer attributes the provider computes (unknown) even when reached through functions.
        members[Evaluator.addressKey] = .string(address)
        let subscription = options.subscriptionID
        if config.mode == .data {
            switch config.type {
            case "azurerm_client_config", "azapi_client_config":
                assume("the identity running Terraform (data.azurerm_client_config) is read as subscription, tenant and object \(Self.placeholderGUID)")
                for key in ["tenant_id", "subscription_id", "client_id", "object_id"] { members[key] = .string(key == "subscription_id" ? subscription : Self.placeholderGUID) }
                members["id"] = .string(Self.placeholderGUID)
                return .object(members)
            case "azurerm_subscription":
                let id = members["subscription_id"]?.stringValue ?? subscription
                assume("the subscription (data.azurerm_subscription) is read as \(id)")
                members["subscription_id"] = .string(id)
                members["id"] = .string("/subscriptions/\(id)")
                members["tenant_id"] = .string(Self.placeholderGUID)
                return .object(members)
            case "local_file":
                guard let file = members["filename"]?.stringValue else { return .object(members) }
                let path = file.hasPrefix("/") ? file : ModuleConfig.join(FileManager.default.currentDirectoryPath, file)
                guard let text = fileReader(path) else {
                    throw EvalError("data.local_file cannot read '\(file)'", at: config.block.position, fix: "check the file exists relative to the directory Palisade runs in")
                }
                fileOrigins[text] = file
                members["content"] = .string(text)
                members[Evaluator.addressKey] = .string(address)
                members["content_base64"] = .string(Data(text.utf8).base64EncodedString())
                members["id"] = .unknown(HCLUnknown(address + ".id"))
                return .object(members)
            case "azurerm_role_definition":
                // A built-in role named without a scope: its ID is the tenant-level definition, which callers prefix
                // with a subscription ("/subscriptions/${sub}${data.azurerm_role_definition.x.id}" in the AVM Azure
                // Machine Learning module's examples); role_definition_id is the GUID
                // (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/data-sources/role_definition).
                let guid = members["role_definition_id"]?.stringValue ?? members["name"]?.stringValue.flatMap { BuiltInRoles.named($0)?.id }
                guard let guid else { return .object(members) }
                let scope = members["scope"]?.stringValue ?? ""
                members["role_definition_id"] = .string(guid)
                members["id"] = .string("\(scope)/providers/Microsoft.Authorization/roleDefinitions/\(guid)")
                if let role = BuiltInRoles.all.first(where: { $0.id == guid }) { members["name"] = .string(role.name) }
                return .object(members)
            case "azurerm_network_service_tags":
                // The data source's ID is the service tag's own ID, e.g. Storage.WestEurope (azurerm network_service_tags_data_source.go).
                guard let service = members["service"]?.stringValue else { return .object(members) }
                var tag = service
                if let filter = members["location_filter"]?.stringValue, let region = AzureRegion.named(filter) { tag = region.tag(service) }
                members["id"] = .string(tag)
                members["name"] = .string(tag)
                return .object(members)
            default:
                guard let id = AzurermCatalog.armID(type: config.type, value, subscription: subscription) else { return .object(members) }
                if let created = try managedInstance(withID: id), case .object(var createdMembers) = created.value {
                    for (key, value) in members where createdMembers[key] == nil { createdMembers[key] = value }
                    return .object(createdMembers)
                }
                members["id"] = .string(id)
                if config.type == "azurerm_resource_group", members["location"] == nil {
                    members["location"] = .unknown(HCLUnknown(address + ".location"))
                }
                return .object(members)
            }
        }
        switch config.type {
        case "random_string", "random_password":
            let length = members["length"]?.numberValue.map { Int($0) } ?? 16
            if config.type == "random_password" || members["special"]?.boolValue == true && false {
                members["result"] = .unknown(HCLUnknown(address + ".result", sensitive: true))
                members["bcrypt_hash"] = .unknown(HCLUnknown(address + ".bcrypt_hash", sensitive: true))
            } else {
                let text = Self.standIn(address, length: length, members: members)
                assume("\(address).result is generated at apply; read as '\(text)'")
                members["result"] = .string(text)
            }
        case "random_id":
            let bytes = members["byte_length"]?.numberValue.map { Int($0) } ?? 4
            let hex = String(Self.digest(address).prefix(bytes * 2))
            assume("\(address).hex is generated at apply; read as '\(hex)'")
            members["hex"] = .string(hex)
            members["dec"] = .string(String(UInt64(hex.prefix(15), radix: 16) ?? 0))
            members["b64_url"] = .string(hex)
            members["b64_std"] = .string(hex)
            members["id"] = .string(hex)
        case "random_integer":
            let low = members["min"]?.numberValue ?? 0
            assume("\(address).result is generated at apply; read as its minimum \(HCLValue.format(low))")
            members["result"] = .number(low)
        case "random_uuid":
            let hex = Array(Self.digest(address).prefix(32))
            let uuid = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }.joined(separator: "-")
            assume("\(address).result is generated at apply; read as '\(uuid)'")
            members["result"] = .string(uuid)
        case "random_pet":
            members["id"] = .string("pet-" + String(Self.digest(address).prefix(6)))
            assume("\(address).id is generated at apply; read as '\(members["id"]!.stringValue!)'")
        default:
            break
        }
        // Resource objects answer attributes the provider computes (unknown) even when reached through functions.
        members[Evaluator.addressKey] = .string(address)
        if members["id"] == nil {
            if let id = AzurermCatalog.armID(type: config.type, value, subscription: subscription) {
                members["id"] = .string(id)
            } else {
                members["id"] = .unknown(HCLUnknown(address + ".id"))
            }
        }
        // A virtual hub exports the ID of its defaultRouteTable, which Azure creates with the hub
        // (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/virtual_hub#default_route_table_id).
        if config.type == "azurerm_virtual_hub", case .string(let hub)? = members["id"], members["default_route_table_id"] == nil {
            members["default_route_table_id"] = .string(hub + "/hubRouteTables/defaultRouteTable")
        }
        // azapi_resource's `output` holds the response values named in response_export_values; its `id` and `name`
        // are the resource's own, anything else is only known after apply
        // (https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource#output).
        if config.type == "azapi_resource", members["output"] == nil, case .string? = members["id"] {
            members["output"] = .object(["id": members["id"]!, "name": members["name"] ?? .null, Evaluator.addressKey: .string(address + ".output")])
        }
        return .object(members)
    }

    static func digest(_ text: String) -> String {
        // FNV-1a, repeated: a stable stand-in, never a secret.
        var out = ""
        var seed: UInt64 = 0xcbf29ce484222325
        while out.count < 64 {
            for byte in text.utf8 {
                seed ^= UInt64(byte)
                seed = seed &* 0x100000001b3
            }
            out += String(seed, radix: 16).leftPadded(16)
        }
        return out
    }

    /// A stand-in for a `random_string` result honouring its length and character classes.
    static func standIn(_ address: String, length: Int, members: [String: HCLValue]) -> String {
        let digest = Array(digest(address).utf8)
        let numericOnly = members["upper"]?.boolValue == false && members["lower"]?.boolValue == false
            || (members["min_numeric"]?.numberValue.map { Int($0) } ?? 0) >= length
        let useUpper = members["upper"]?.boolValue ?? true
        var out = ""
        for index in 0..<max(0, min(length, 256)) {
            let byte = digest[index % digest.count]
            if numericOnly || index < Int(members["min_numeric"]?.numberValue ?? 0) {
                out.append(Character(Unicode.Scalar(UInt8(ascii: "0") + byte % 10)))
            } else {
                let letter = Character(Unicode.Scalar(UInt8(ascii: "a") + byte % 26))
                out.append(useUpper && index % 3 == 2 ? Character(letter.uppercased()) : letter)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
