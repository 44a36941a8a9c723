import Foundation
import PalisadeModel

/// Where each property was written: azurerm arguments and blocks paired with the ARM-form property paths the model and
/// the rules use, so a finding about e.g. `properties.publicNetworkAccess` points at the `.tf` line of
/// `public_network_access_enabled`. Argument names follow the azurerm documentation of both major versions
/// (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs, 3.x names where they differ).
extension AzurermMapper {
    /// Terraform argument path → ARM property path, per resource type. Paths into nested blocks use the first block
    /// (`network_rules[0].default_action`).
    static let propertyPaths: [String: [(String, String)]] = [
        "azurerm_machine_learning_workspace": [
            ("public_network_access_enabled", "properties.publicNetworkAccess"),
            ("image_build_compute_name", "properties.imageBuildCompute"),
            ("v1_legacy_mode_enabled", "properties.v1LegacyMode"),
            ("high_business_impact", "properties.hbiWorkspace"),
            ("managed_network[0]", "properties.managedNetwork"),
            ("managed_network[0].isolation_mode", "properties.managedNetwork.isolationMode"),
            ("identity[0]", "identity"),
            ("storage_account_id", "properties.storageAccount"),
            ("key_vault_id", "properties.keyVault"),
            ("container_registry_id", "properties.containerRegistry"),
            ("application_insights_id", "properties.applicationInsights"),
            ("sku_name", "sku.name"),
        ],
        "azurerm_machine_learning_compute_cluster": [
            ("node_public_ip_enabled", "properties.properties.enableNodePublicIp"),
            ("subnet_resource_id", "properties.properties.subnet.id"),
            ("local_auth_enabled", "properties.disableLocalAuth"),
            ("ssh_public_access_enabled", "properties.properties.remoteLoginPortPublicAccess"),
            ("scale_settings[0]", "properties.properties.scaleSettings"),
            ("vm_size", "properties.properties.vmSize"),
        ],
        "azurerm_machine_learning_compute_instance": [
            ("node_public_ip_enabled", "properties.properties.enableNodePublicIp"),
            ("subnet_resource_id", "properties.properties.subnet.id"),
            ("local_auth_enabled", "properties.disableLocalAuth"),
            ("virtual_machine_size", "properties.properties.vmSize"),
        ],
        "azurerm_storage_account": [
            ("public_network_access_enabled", "properties.publicNetworkAccess"),
            ("allow_nested_items_to_be_public", "properties.allowBlobPublicAccess"),
            ("allow_blob_public_access", "properties.allowBlobPublicAccess"),
            ("shared_access_key_enabled", "properties.allowSharedKeyAccess"),
            ("min_tls_version", "properties.minimumTlsVersion"),
            ("https_traffic_only_enabled", "properties.supportsHttpsTrafficOnly"),
            ("enable_https_traffic_only", "properties.supportsHttpsTrafficOnly"),
            ("account_replication_type", "sku.name"),
            ("network_rules[0]", "properties.networkAcls"),
            ("network_rules[0].default_action", "properties.networkAcls.defaultAction"),
            ("network_rules[0].bypass", "properties.networkAcls.bypass"),
            ("network_rules[0].ip_rules", "properties.networkAcls.ipRules"),
            ("network_rules[0].virtual_network_subnet_ids", "properties.networkAcls.virtualNetworkRules"),
            ("network_rules[0].private_link_access[0]", "properties.networkAcls.resourceAccessRules"),
        ],
        "azurerm_key_vault": [
            ("public_network_access_enabled", "properties.publicNetworkAccess"),
            ("purge_protection_enabled", "properties.enablePurgeProtection"),
            ("rbac_authorization_enabled", "properties.enableRbacAuthorization"),
            ("enable_rbac_authorization", "properties.enableRbacAuthorization"),
            ("network_acls[0]", "properties.networkAcls"),
            ("network_acls[0].default_action", "properties.networkAcls.defaultAction"),
            ("network_acls[0].bypass", "properties.networkAcls.bypass"),
        ],
        "azurerm_key_vault_secret": [("value", "properties.value")],
        "azurerm_container_registry": [
            ("public_network_access_enabled", "properties.publicNetworkAccess"),
            ("admin_enabled", "properties.adminUserEnabled"),
            ("sku", "sku.name"),
            ("network_rule_bypass_option", "properties.networkRuleBypassOptions"),
            ("network_rule_set[0]", "properties.networkRuleSet"),
            ("network_rule_set[0].default_action", "properties.networkRuleSet.defaultAction"),
        ],
        "azurerm_cognitive_account": [
            ("public_network_access_enabled", "properties.publicNetworkAccess"),
            ("local_auth_enabled", "properties.disableLocalAuth"),
            ("network_acls[0]", "properties.networkAcls"),
        ],
        "azurerm_ai_services": [
            ("public_network_access", "properties.publicNetworkAccess"),
            ("local_authentication_enabled", "properties.disableLocalAuth"),
            ("network_acls[0]", "properties.networkAcls"),
        ],
        "azurerm_application_insights": [
            ("internet_ingestion_enabled", "properties.publicNetworkAccessForIngestion"),
            ("internet_query_enabled", "properties.publicNetworkAccessForQuery"),
        ],
        "azurerm_log_analytics_workspace": [
            ("internet_ingestion_enabled", "properties.publicNetworkAccessForIngestion"),
            ("internet_query_enabled", "properties.publicNetworkAccessForQuery"),
        ],
        "azurerm_monitor_private_link_scope": [
            ("ingestion_access_mode", "properties.accessModeSettings.ingestionAccessMode"),
            ("query_access_mode", "properties.accessModeSettings.queryAccessMode"),
        ],
        "azurerm_virtual_network": [
            ("address_space", "properties.addressSpace.addressPrefixes"),
            ("dns_servers", "properties.dhcpOptions.dnsServers"),
        ],
        "azurerm_subnet": [
            ("address_prefixes", "properties.addressPrefix"),
            ("service_endpoints", "properties.serviceEndpoints"),
            ("service_endpoint_policy_ids", "properties.serviceEndpointPolicies"),
            ("delegation[0]", "properties.delegations"),
            ("default_outbound_access_enabled", "properties.defaultOutboundAccess"),
            ("private_endpoint_network_policies", "properties.privateEndpointNetworkPolicies"),
            ("private_endpoint_network_policies_enabled", "properties.privateEndpointNetworkPolicies"),
            ("enforce_private_link_endpoint_network_policies", "properties.privateEndpointNetworkPolicies"),
            ("private_link_service_network_policies_enabled", "properties.privateLinkServiceNetworkPolicies"),
            ("enforce_private_link_service_network_policies", "properties.privateLinkServiceNetworkPolicies"),
        ],
        "azurerm_public_ip": [("sku", "sku.name"), ("zones", "zones")],
        "azurerm_firewall": [
            ("threat_intel_mode", "properties.threatIntelMode"),
            ("firewall_policy_id", "properties.firewallPolicy"),
            ("sku_tier", "properties.sku.tier"),
        ],
        "azurerm_firewall_policy": [
            ("threat_intelligence_mode", "properties.threatIntelMode"),
            ("dns[0]", "properties.dnsSettings"),
            ("dns[0].proxy_enabled", "properties.dnsSettings.enableProxy"),
        ],
        "azurerm_network_interface": [
            ("ip_forwarding_enabled", "properties.enableIPForwarding"),
            ("enable_ip_forwarding", "properties.enableIPForwarding"),
        ],
        "azurerm_linux_virtual_machine": [("admin_password", "properties.osProfile.adminPassword"), ("size", "properties.hardwareProfile.vmSize")],
        "azurerm_windows_virtual_machine": [("admin_password", "properties.osProfile.adminPassword"), ("size", "properties.hardwareProfile.vmSize")],
        "azurerm_virtual_machine": [("os_profile[0].admin_password", "properties.osProfile.adminPassword"), ("vm_size", "properties.hardwareProfile.vmSize")],
        "azurerm_private_endpoint": [
            ("subnet_id", "properties.subnet.id"),
            ("private_service_connection[0]", "properties.privateLinkServiceConnections[0]"),
            ("private_service_connection[0].subresource_names", "properties.privateLinkServiceConnections[0].properties.groupIds"),
            ("private_service_connection[0].private_connection_resource_id",
             "properties.privateLinkServiceConnections[0].properties.privateLinkServiceId"),
            ("private_dns_zone_group[0]", "privateDnsZoneGroups"),
        ],
        "azurerm_bastion_host": [("sku", "sku.name"), ("tunneling_enabled", "properties.enableTunneling")],
        "azurerm_virtual_network_gateway": [("sku", "sku.name"), ("vpn_client_configuration[0]", "properties.vpnClientConfiguration")],
    ]

    /// Arguments every resource type shares.
    static let commonPropertyPaths: [(String, String)] = [("location", "location"), ("tags", "tags"), ("identity[0]", "identity")]

    /// The location of one argument or block of an instance, with its Terraform address and path.
    func location(of instance: ResourceInstance, _ path: String) -> SourceLocation? {
        guard let position = instance.positions[path] else { return nil }
        var location = position.location
        location.path = "\(instance.address).\(path)"
        return location
    }

    /// Records, for every mapped instance, where its known properties were written.
    mutating func recordPropertySources() {
        for instance in instances where instance.mode == .managed && !instance.positions.isEmpty {
            guard let id = idByAddress[instance.address], graph[id] != nil else { continue }
            for (path, property) in Self.commonPropertyPaths + (Self.propertyPaths[instance.type] ?? []) {
                if let location = location(of: instance, path) { graph.recordSource(location, of: id, property: property) }
            }
            switch instance.type {
            case "azurerm_network_security_group":
                // Inline rules: the model keeps them in block order, rules without a name or priority left out.
                var index = 0
                for (block, value) in blocks(instance.value, "security_rule").enumerated() {
                    guard value["name"]?.stringValue != nil, value["priority"]?.numberValue != nil else { continue }
                    recordSecurityRule(instance, prefix: "security_rule[\(block)].", nsg: id, index: index)
                    index += 1
                }
            case "azurerm_virtual_network":
                for (block, value) in blocks(instance.value, "subnet").enumerated() {
                    guard let name = value["name"]?.stringValue else { continue }
                    let subnet = id.child("subnets", name)
                    if let location = location(of: instance, "subnet[\(block)]") { graph.recordSource(location, of: subnet, property: "properties") }
                    if let location = location(of: instance, "subnet[\(block)].address_prefixes") ?? location(of: instance, "subnet[\(block)].address_prefix") {
                        graph.recordSource(location, of: subnet, property: "properties.addressPrefix")
                    }
                    if let location = location(of: instance, "subnet[\(block)].security_group") {
                        graph.recordSource(location, of: subnet, property: "properties.networkSecurityGroup")
                    }
                }
            case "azapi_resource":
                // The body's members: `body.properties.publicNetworkAccess` is the ARM `properties.publicNetworkAccess`.
                for (path, _) in instance.positions where path.hasPrefix("body.") {
                    if let location = location(of: instance, path) { graph.recordSource(location, of: id, property: String(path.dropFirst(5))) }
                }
            default:
                break
            }
        }
    }

    /// Records where a security rule and its arguments were written, as rule `index` of the NSG.
    mutating func recordSecurityRule(_ instance: ResourceInstance, prefix: String, nsg: ResourceID, index: Int) {
        let rule = "properties.securityRules[\(index)]"
        let whole = prefix.isEmpty ? nil : String(prefix.dropLast())
        if let whole, let location = location(of: instance, whole) {
            graph.recordSource(location, of: nsg, property: rule)
        } else if prefix.isEmpty {
            graph.recordSource(source(instance), of: nsg, property: rule)
        }
        let arguments: [(String, String)] = [
            ("priority", "priority"), ("direction", "direction"), ("access", "access"), ("protocol", "protocol"),
            ("source_address_prefix", "sourceAddressPrefix"), ("source_address_prefixes", "sourceAddressPrefix"),
            ("source_address_prefixes", "sourceAddressPrefixes"),
            ("source_application_security_group_ids", "sourceAddressPrefix"),
            ("source_application_security_group_ids", "sourceApplicationSecurityGroups"),
            ("destination_address_prefix", "destinationAddressPrefix"), ("destination_address_prefixes", "destinationAddressPrefix"),
            ("destination_address_prefixes", "destinationAddressPrefixes"),
            ("destination_application_security_group_ids", "destinationAddressPrefix"),
            ("destination_application_security_group_ids", "destinationApplicationSecurityGroups"),
            ("source_port_range", "sourcePortRange"), ("source_port_ranges", "sourcePortRange"), ("source_port_ranges", "sourcePortRanges"),
            ("destination_port_range", "destinationPortRange"), ("destination_port_ranges", "destinationPortRange"),
            ("destination_port_ranges", "destinationPortRanges"),
        ]
        // The singular argument wins over an empty plural one (plan JSON lists both).
        var recorded: Set<String> = []
        for (argument, property) in arguments where !recorded.contains(property) {
            if let location = location(of: instance, prefix + argument) {
                graph.recordSource(location, of: nsg, property: "\(rule).properties.\(property)")
                if !argument.hasSuffix("s") && !argument.hasSuffix("_ids") { recorded.insert(property) }
            }
        }
    }
}
