import Foundation
import PalisadeARM
import PalisadeModel

extension AzurermMapper {
    mutating func mapServicePrimary(_ instance: ResourceInstance) {
        let v = instance.value
        switch instance.type {
        case "azurerm_machine_learning_workspace":
            guard let id = id(instance) else { return }
            var workspace = MachineLearningWorkspace(id: id, location: location(v))
            workspace.tags = tags(v)
            workspace.sku = string(v, "sku_name") ?? "Basic"
            workspace.kind = string(v, "kind") ?? "Default"
            workspace.applicationInsights = rid(v, "application_insights_id")
            workspace.keyVault = rid(v, "key_vault_id")
            workspace.storageAccount = rid(v, "storage_account_id")
            workspace.containerRegistry = rid(v, "container_registry_id")
            workspace.publicNetworkAccess = enablement(bool(v, "public_network_access_enabled"))
            workspace.highBusinessImpact = bool(v, "high_business_impact") ?? false
            workspace.imageBuildCompute = string(v, "image_build_compute_name")
            workspace.v1LegacyMode = bool(v, "v1_legacy_mode_enabled") ?? false
            workspace.primaryUserAssignedIdentity = rid(v, "primary_user_assigned_identity")
            if let access = string(v, "storage_account_access_type") { workspace.systemDatastoresAuthMode = access.lowercased() == "identity" ? "identity" : "accessKey" }
            workspace.identity = identity(v)
            if let managed = block(v, "managed_network"), let mode = string(managed, "isolation_mode"),
               let parsed = ManagedNetworkSettings.IsolationMode(rawValue: mode) {
                workspace.managedNetwork.isolationMode = parsed
            }
            insert(workspace)
        case "azurerm_machine_learning_compute_cluster", "azurerm_machine_learning_compute_instance":
            guard let id = id(instance) else { return }
            var compute = MachineLearningCompute(id: id, location: location(v))
            compute.tags = tags(v)
            let isInstance = instance.type.hasSuffix("instance")
            compute.computeType = isInstance ? "ComputeInstance" : "AmlCompute"
            compute.vmSize = string(v, "vm_size") ?? string(v, "virtual_machine_size") ?? compute.vmSize
            compute.subnet = rid(v, "subnet_resource_id")
            compute.enableNodePublicIP = bool(v, "node_public_ip_enabled") ?? true
            compute.disableLocalAuth = !(bool(v, "local_auth_enabled") ?? true)
            compute.remoteLoginPortPublicAccess = (bool(v, "ssh_public_access_enabled") ?? false) ? "Enabled" : "Disabled"
            compute.identity = identity(v)
            if let scale = block(v, "scale_settings") {
                compute.minNodes = int(scale, "min_node_count") ?? 0
                compute.maxNodes = int(scale, "max_node_count") ?? 1
                compute.nodeIdleTimeBeforeScaleDown = string(scale, "scale_down_nodes_after_idle_duration")
            }
            if isInstance { compute.maxNodes = 1 }
            // Compute is created in its workspace's region unless it names another.
            if compute.location == nil { compute.location = graph.resource(compute.workspace, as: MachineLearningWorkspace.self)?.location }
            compute.assignedUserObjectID = block(v, "assign_to_user").flatMap { string($0, "object_id") }
            insert(compute)
        case "azurerm_storage_account":
            guard let id = id(instance) else { return }
            var storage = StorageAccount(id: id, location: location(v))
            storage.tags = tags(v)
            storage.kind = string(v, "account_kind") ?? "StorageV2"
            storage.sku = "\(string(v, "account_tier") ?? "Standard")_\(string(v, "account_replication_type") ?? "LRS")"
            storage.publicNetworkAccess = enablement(bool(v, "public_network_access_enabled"))
            // 3.x and 4.x default allow_nested_items_to_be_public to true
            // (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/storage_account#allow_nested_items_to_be_public).
            storage.allowBlobPublicAccess = bool(v, "allow_nested_items_to_be_public") ?? bool(v, "allow_blob_public_access") ?? true
            storage.allowSharedKeyAccess = bool(v, "shared_access_key_enabled") ?? true
            storage.minimumTLSVersion = string(v, "min_tls_version") ?? "TLS1_2"
            storage.httpsOnly = bool(v, "https_traffic_only_enabled") ?? bool(v, "enable_https_traffic_only") ?? true
            storage.isHnsEnabled = bool(v, "is_hns_enabled") ?? false
            if let rules = block(v, "network_rules") {
                var acls = NetworkACLs(defaultAction: NetworkAction(rawValue: string(rules, "default_action") ?? "Allow") ?? .allow)
                if rules["bypass"] != nil {
                    let bypass = strings(rules, "bypass")
                    acls.bypass = bypass.isEmpty ? ["None"] : bypass
                }
                acls.ipRules = strings(rules, "ip_rules")
                acls.virtualNetworkRules = rids(rules, "virtual_network_subnet_ids")
                acls.resourceAccessRules = blocks(rules, "private_link_access").compactMap { access in
                    guard let target = access["endpoint_resource_id"]?.stringValue else { return nil }
                    // The deployment's own tenant (data.azurerm_client_config) is "" in the model.
                    let tenant = access["endpoint_tenant_id"]?.stringValue ?? ""
                    return ResourceAccessRule(tenantID: tenant == Evaluator.placeholderGUID ? "" : tenant, resourceID: target)
                }
                storage.networkACLs = acls
            }
            insert(storage)
        case "azurerm_key_vault":
            guard let id = id(instance) else { return }
            var vault = KeyVault(id: id, location: location(v))
            vault.tags = tags(v)
            vault.sku = string(v, "sku_name") ?? "standard"
            if let tenant = v["tenant_id"]?.stringValue, tenant != Evaluator.placeholderGUID { vault.tenantID = tenant }
            vault.enableRbacAuthorization = bool(v, "rbac_authorization_enabled") ?? bool(v, "enable_rbac_authorization") ?? false
            vault.enablePurgeProtection = bool(v, "purge_protection_enabled") ?? false
            vault.softDeleteRetentionInDays = int(v, "soft_delete_retention_days") ?? 90
            vault.publicNetworkAccess = enablement(bool(v, "public_network_access_enabled"))
            if let acls = block(v, "network_acls") {
                let bypass = string(acls, "bypass") ?? "AzureServices"
                var parsed = NetworkACLs(defaultAction: NetworkAction(rawValue: string(acls, "default_action") ?? "Allow") ?? .allow,
                                         bypass: [bypass])
                parsed.ipRules = strings(acls, "ip_rules")
                parsed.virtualNetworkRules = rids(acls, "virtual_network_subnet_ids")
                vault.networkACLs = parsed
            }
            insert(vault)
        case "azurerm_key_vault_secret":
            guard let id = id(instance) else { return }
            var secret = KeyVaultSecret(id: id)
            secret.tags = tags(v)
            secret.value = self.secret(v["value"]) ?? .redactedLiteral
            secret.contentType = string(v, "content_type")
            insert(secret)
        case "azurerm_container_registry":
            guard let id = id(instance) else { return }
            var registry = ContainerRegistry(id: id, location: location(v))
            registry.tags = tags(v)
            registry.sku = string(v, "sku") ?? "Basic"
            registry.adminUserEnabled = bool(v, "admin_enabled") ?? false
            registry.publicNetworkAccess = enablement(bool(v, "public_network_access_enabled"))
            registry.networkRuleBypassOptions = string(v, "network_rule_bypass_option") ?? "AzureServices"
            registry.dataEndpointEnabled = bool(v, "data_endpoint_enabled") ?? false
            if let rules = block(v, "network_rule_set") {
                registry.networkRuleDefaultAction = NetworkAction(rawValue: string(rules, "default_action") ?? "Allow") ?? .allow
                registry.ipRules = blocks(rules, "ip_rule").compactMap { string($0, "ip_range") }
            }
            insert(registry)
        case "azurerm_cognitive_account", "azurerm_ai_services":
            guard let id = id(instance) else { return }
            var account = CognitiveServicesAccount(id: id, location: location(v))
            account.tags = tags(v)
            account.kind = string(v, "kind") ?? (instance.type == "azurerm_ai_services" ? "AIServices" : "OpenAI")
            account.sku = string(v, "sku_name") ?? "S0"
            account.customSubDomainName = string(v, "custom_subdomain_name")
            account.publicNetworkAccess = enablement(bool(v, "public_network_access_enabled") ?? true)
            account.disableLocalAuth = !(bool(v, "local_auth_enabled") ?? true)
            insert(account)
        case "azurerm_application_insights":
            guard let id = id(instance) else { return }
            var insights = ApplicationInsights(id: id, location: location(v))
            insights.tags = tags(v)
            insights.applicationType = string(v, "application_type") ?? "web"
            insights.workspace = rid(v, "workspace_id")
            insights.publicNetworkAccessForIngestion = enablement(bool(v, "internet_ingestion_enabled")) ?? .enabled
            insights.publicNetworkAccessForQuery = enablement(bool(v, "internet_query_enabled")) ?? .enabled
            insert(insights)
        case "azurerm_log_analytics_workspace":
            guard let id = id(instance) else { return }
            var logs = LogAnalyticsWorkspace(id: id, location: location(v))
            logs.tags = tags(v)
            logs.sku = string(v, "sku") ?? "PerGB2018"
            logs.retentionInDays = int(v, "retention_in_days") ?? 30
            logs.publicNetworkAccessForIngestion = enablement(bool(v, "internet_ingestion_enabled")) ?? .enabled
            logs.publicNetworkAccessForQuery = enablement(bool(v, "internet_query_enabled")) ?? .enabled
            insert(logs)
        case "azurerm_monitor_private_link_scope":
            guard let id = id(instance) else { return }
            var scope = MonitorPrivateLinkScope(id: id)
            scope.tags = tags(v)
            scope.ingestionAccessMode = string(v, "ingestion_access_mode") ?? "Open"
            scope.queryAccessMode = string(v, "query_access_mode") ?? "Open"
            insert(scope)
        case "azurerm_monitor_diagnostic_setting":
            guard let name = string(v, "name") else { return }
            guard let target = rid(v, "target_resource_id") else { return }
            var setting = DiagnosticSetting(name: name, target: target, workspace: rid(v, "log_analytics_workspace_id"))
            // 4.x enabled_log/enabled_metric; 3.x log/metric blocks with enabled flags.
            var categories = blocks(v, "enabled_log").compactMap { string($0, "category_group") ?? string($0, "category") }
            categories += blocks(v, "log").filter { bool($0, "enabled") ?? true }.compactMap { string($0, "category_group") ?? string($0, "category") }
            var seen: Set<String> = []
            setting.logCategories = categories.filter { seen.insert($0).inserted }
            let metrics = blocks(v, "enabled_metric") + blocks(v, "metric").filter { bool($0, "enabled") ?? true }
            setting.allMetrics = metrics.contains { string($0, "category") == "AllMetrics" }
            insert(setting)
        case "azurerm_user_assigned_identity":
            guard let id = id(instance) else { return }
            insert(UserAssignedIdentity(id: id, location: location(v)).with { $0.tags = tags(v) })
        case "azurerm_role_assignment":
            guard let scope = rid(v, "scope") else { return }
            let name = string(v, "name") ?? StableGUID.make(instance.address)
            if v["name"] == nil { evaluator.assume("\(instance.address) gets its name (a GUID) at apply; read as \(name)") }
            var roleID = string(v, "role_definition_id") ?? ""
            if let last = roleID.split(separator: "/").last { roleID = String(last) }
            if roleID.isEmpty, let roleName = string(v, "role_definition_name") { roleID = BuiltInRoles.named(roleName)?.id ?? "" }
            var assignment = RoleAssignment(name: name, scope: scope, roleDefinitionID: roleID)
            assignment.roleName = string(v, "role_definition_name")
            if let principal = v["principal_id"] {
                if case .string(let object) = principal { assignment.principalObjectID = object } else { assignment.principal = rid(principal) }
            }
            assignment.principalType = string(v, "principal_type") ?? "ServicePrincipal"
            insert(assignment)
        default:
            mapOpaque(instance)
        }
    }

    /// A type the model does not know: kept as an opaque resource, never dropped.
    mutating func mapOpaque(_ instance: ResourceInstance) {
        let v = instance.value
        let armType = AzurermCatalog.topLevel[instance.type] ?? "Terraform.azurerm/\(instance.type)"
        let id: ResourceID
        if let known = idByAddress[instance.address] {
            id = known
        } else {
            // Resources without a group of their own (access policies, associations) sit in the group of what they attach to.
            let attached = v.sortedEntries.lazy.compactMap { entry -> String? in
                guard entry.key.hasSuffix("_id"), let text = entry.value.stringValue, text.hasPrefix("/subscriptions/") else { return nil }
                return ResourceID(text).resourceGroupName
            }.first
            let group = v["resource_group_name"]?.stringValue ?? attached ?? "unknown"
            id = ResourceID("/subscriptions/\(evaluator.options.subscriptionID)/resourceGroups/\(group)/providers/Terraform.azurerm/\(instance.type)/\(instance.address)")
        }
        var opaque = OpaqueResource(id: id, type: ResourceType(armType))
        opaque.location = location(v)
        opaque.tags = tags(v)
        insert(opaque)
        evaluator.assume("\(instance.type) is not modelled: \(instance.address) is kept as an opaque resource")
    }

    // MARK: - Attachments

    mutating func mapAttachment(_ instance: ResourceInstance) {
        let v = instance.value
        switch instance.type {
        case "azurerm_network_security_rule":
            guard let id = idByAddress[instance.address], let nsgID = id.parent, var nsg = graph.resource(nsgID, as: NetworkSecurityGroup.self) else {
                return warn("its network security group is not in the configuration")
            }
            guard let rule = securityRule(v) else { return }
            nsg.securityRules.append(rule)
            graph.insert(nsg)
            recordSecurityRule(instance, prefix: "", nsg: nsgID, index: nsg.securityRules.count - 1)
        case "azurerm_subnet_network_security_group_association", "azurerm_subnet_route_table_association", "azurerm_subnet_nat_gateway_association":
            guard let subnetID = rid(v, "subnet_id"), var subnet = graph.resource(subnetID, as: Subnet.self) else {
                return warn("its subnet is not in the configuration")
            }
            switch instance.type {
            case "azurerm_subnet_network_security_group_association": subnet.networkSecurityGroup = rid(v, "network_security_group_id")
            case "azurerm_subnet_route_table_association": subnet.routeTable = rid(v, "route_table_id")
            default: subnet.natGateway = rid(v, "nat_gateway_id")
            }
            graph.insert(subnet)
        case "azurerm_network_interface_security_group_association":
            guard let nicID = rid(v, "network_interface_id"), var nic = graph.resource(nicID, as: NetworkInterface.self) else { return }
            nic.networkSecurityGroup = rid(v, "network_security_group_id")
            graph.insert(nic)
        case "azurerm_network_interface_application_security_group_association":
            guard let nicID = rid(v, "network_interface_id"), var nic = graph.resource(nicID, as: NetworkInterface.self),
                  let group = rid(v, "application_security_group_id") else { return }
            for index in nic.ipConfigurations.indices { nic.ipConfigurations[index].applicationSecurityGroups.append(group) }
            graph.insert(nic)
        case "azurerm_virtual_network_peering":
            guard let id = idByAddress[instance.address], let vnetID = id.parent, var vnet = graph.resource(vnetID, as: VirtualNetwork.self),
                  let remote = rid(v, "remote_virtual_network_id") else { return warn("its virtual network is not in the configuration") }
            var peering = VirtualNetworkPeering(name: string(v, "name") ?? id.name, remoteVirtualNetwork: remote)
            peering.allowVirtualNetworkAccess = bool(v, "allow_virtual_network_access") ?? true
            peering.allowForwardedTraffic = bool(v, "allow_forwarded_traffic") ?? false
            peering.allowGatewayTransit = bool(v, "allow_gateway_transit") ?? false
            peering.useRemoteGateways = bool(v, "use_remote_gateways") ?? false
            vnet.peerings.append(peering)
            graph.insert(vnet)
        case "azurerm_private_dns_zone_virtual_network_link":
            guard let id = idByAddress[instance.address], let zoneID = id.parent, var zone = graph.resource(zoneID, as: PrivateDnsZone.self),
                  let vnet = rid(v, "virtual_network_id") else { return warn("its private DNS zone or virtual network is not in the configuration") }
            var link = VirtualNetworkLink(name: string(v, "name") ?? id.name, virtualNetwork: vnet)
            link.registrationEnabled = bool(v, "registration_enabled") ?? false
            link.resolutionPolicy = string(v, "resolution_policy") ?? "Default"
            zone.virtualNetworkLinks.append(link)
            graph.insert(zone)
        case "azurerm_private_dns_a_record":
            guard let id = idByAddress[instance.address], case let zoneID = ResourceID(id.rawValue.components(separatedBy: "/A/").first ?? ""),
                  var zone = graph.resource(zoneID, as: PrivateDnsZone.self) else { return warn("its private DNS zone is not in the configuration") }
            var record = DnsRecordSet(name: string(v, "name") ?? "@", aRecords: strings(v, "records").compactMap { IPv4Address($0) })
            record.ttl = int(v, "ttl") ?? 3600
            zone.recordSets.append(record)
            graph.insert(zone)
        case "azurerm_firewall_application_rule_collection", "azurerm_firewall_network_rule_collection", "azurerm_firewall_nat_rule_collection":
            mapClassicCollection(instance)
        case "azurerm_firewall_policy_rule_collection_group":
            mapRuleCollectionGroup(instance)
        case "azurerm_monitor_private_link_scoped_service":
            guard let id = idByAddress[instance.address], case let scopeID = ResourceID(id.rawValue.components(separatedBy: "/scopedResources/").first ?? ""),
                  var scope = graph.resource(scopeID, as: MonitorPrivateLinkScope.self), let linked = rid(v, "linked_resource_id") else {
                return warn("its private link scope is not in the configuration")
            }
            scope.scopedResources.append(linked)
            graph.insert(scope)
        case "azurerm_nat_gateway_public_ip_association":
            guard let gatewayID = rid(v, "nat_gateway_id"), var gateway = graph.resource(gatewayID, as: NatGateway.self),
                  let address = rid(v, "public_ip_address_id") else { return }
            gateway.publicIPAddresses.append(address)
            graph.insert(gateway)
        case "azurerm_machine_learning_workspace_network_outbound_rule_fqdn",
             "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint",
             "azurerm_machine_learning_workspace_network_outbound_rule_service_tag":
            guard let workspaceID = rid(v, "workspace_id"), var workspace = graph.resource(workspaceID, as: MachineLearningWorkspace.self),
                  let name = string(v, "name") else { return warn("its workspace is not in the configuration") }
            var rule: ManagedOutboundRule
            if instance.type.hasSuffix("fqdn") {
                rule = .fqdn(name, string(v, "destination_fqdn") ?? "")
            } else if instance.type.hasSuffix("private_endpoint") {
                rule = ManagedOutboundRule(name: name, kind: .privateEndpoint)
                rule.serviceResourceID = rid(v, "service_resource_id")
                rule.subresourceTarget = string(v, "sub_resource_target")
                rule.sparkEnabled = bool(v, "spark_enabled") ?? false
            } else {
                rule = .serviceTag(name, tag: string(v, "service_tag") ?? "", protocol: string(v, "protocol") ?? "TCP",
                                   ports: string(v, "port_ranges") ?? "443")
            }
            workspace.managedNetwork.outboundRules.append(rule)
            graph.insert(workspace)
        case "azapi_update_resource":
            guard let target = rid(v, "resource_id"), var workspace = graph.resource(target, as: MachineLearningWorkspace.self) else {
                return evaluator.assume("\(instance.address) updates a resource Palisade does not model; its changes are not read")
            }
            let properties = body(v)?["properties"]
            if case .list(let list)? = properties?["ipAllowlist"] { workspace.ipAllowlist = list.compactMap(\.stringValue) }
            if let sku = properties?["managedNetwork"]?["firewallSku"]?.stringValue { workspace.managedNetwork.firewallSku = sku }
            graph.insert(workspace)
        default:
            break
        }
    }

    func body(_ v: HCLValue) -> HCLValue? {
        switch v["body"] {
        case .object?: return v["body"]
        case .string(let text)?: return try? TerraformFunctions.decodeJSON(text, file: current?.position.file ?? "body")
        default: return nil
        }
    }

    private func firewallProtocol(_ text: String) -> NetworkProtocol {
        switch text.lowercased() {
        case "tcp": .tcp
        case "udp": .udp
        case "icmp": .icmp
        default: .any
        }
    }

    private func action(_ text: String?) -> FirewallRuleCollection.Action {
        switch text?.lowercased() {
        case "deny": .deny
        case "dnat": .dnat
        default: .allow
        }
    }

    /// azurerm 3.x classic rule collections (https://registry.terraform.io/providers/hashicorp/azurerm/3.9.0/docs/resources/firewall_application_rule_collection).
    private mutating func mapClassicCollection(_ instance: ResourceInstance) {
        let v = instance.value
        guard let id = idByAddress[instance.address], let firewallID = id.parent, var firewall = graph.resource(firewallID, as: AzureFirewall.self) else {
            return warn("its firewall is not in the configuration")
        }
        let rules: [FirewallRule] = blocks(v, "rule").compactMap { rule in
            let name = string(rule, "name") ?? "rule"
            switch instance.type {
            case "azurerm_firewall_application_rule_collection":
                var parsed = ApplicationRule(name: name, protocols: blocks(rule, "protocol").compactMap { p in
                    guard let type = string(p, "type") else { return nil }
                    return ApplicationProtocol(type, int(p, "port") ?? (type.lowercased() == "http" ? 80 : 443))
                }, sourceAddresses: strings(rule, "source_addresses"), targetFqdns: strings(rule, "target_fqdns"), fqdnTags: strings(rule, "fqdn_tags"))
                parsed.sourceIPGroups = rids(rule, "source_ip_groups")
                return .application(parsed)
            case "azurerm_firewall_network_rule_collection":
                var parsed = NetworkRule(name: name, protocols: strings(rule, "protocols").map(firewallProtocol), sourceAddresses: strings(rule, "source_addresses"),
                                         destinationAddresses: strings(rule, "destination_addresses"), destinationFqdns: strings(rule, "destination_fqdns"),
                                         destinationPorts: strings(rule, "destination_ports"))
                parsed.sourceIPGroups = rids(rule, "source_ip_groups")
                parsed.destinationIPGroups = rids(rule, "destination_ip_groups")
                return .network(parsed)
            default:
                return .nat(NatRule(name: name, protocols: strings(rule, "protocols").map(firewallProtocol), sourceAddresses: strings(rule, "source_addresses"),
                                    destinationAddresses: strings(rule, "destination_addresses"), destinationPorts: strings(rule, "destination_ports"),
                                    translatedAddress: string(rule, "translated_address"), translatedPort: string(rule, "translated_port")))
            }
        }
        let collection = FirewallRuleCollection(name: string(v, "name") ?? id.name, priority: int(v, "priority") ?? 100,
                                                action: action(string(v, "action")), rules: rules)
        switch instance.type {
        case "azurerm_firewall_application_rule_collection": firewall.applicationRuleCollections.append(collection)
        case "azurerm_firewall_network_rule_collection": firewall.networkRuleCollections.append(collection)
        default: firewall.natRuleCollections.append(collection)
        }
        graph.insert(firewall)
    }

    /// A Firewall Policy rule collection group (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/firewall_policy_rule_collection_group).
    private mutating func mapRuleCollectionGroup(_ instance: ResourceInstance) {
        let v = instance.value
        guard let policyID = rid(v, "firewall_policy_id"), var policy = graph.resource(policyID, as: FirewallPolicy.self) else {
            return warn("its firewall policy is not in the configuration")
        }
        var collections: [FirewallRuleCollection] = []
        for collection in blocks(v, "application_rule_collection") {
            let rules: [FirewallRule] = blocks(collection, "rule").map { rule in
                var parsed = ApplicationRule(name: string(rule, "name") ?? "rule", protocols: blocks(rule, "protocols").compactMap { p in
                    guard let type = string(p, "type") else { return nil }
                    return ApplicationProtocol(type, int(p, "port") ?? 443)
                }, sourceAddresses: strings(rule, "source_addresses"), targetFqdns: strings(rule, "destination_fqdns"),
                fqdnTags: strings(rule, "destination_fqdn_tags"))
                parsed.sourceIPGroups = rids(rule, "source_ip_groups")
                parsed.webCategories = strings(rule, "web_categories")
                parsed.terminateTLS = bool(rule, "terminate_tls") ?? false
                return .application(parsed)
            }
            collections.append(FirewallRuleCollection(name: string(collection, "name") ?? "", priority: int(collection, "priority") ?? 100,
                                                      action: action(string(collection, "action")), rules: rules))
        }
        for collection in blocks(v, "network_rule_collection") {
            let rules: [FirewallRule] = blocks(collection, "rule").map { rule in
                var parsed = NetworkRule(name: string(rule, "name") ?? "rule", protocols: strings(rule, "protocols").map(firewallProtocol),
                                         sourceAddresses: strings(rule, "source_addresses"), destinationAddresses: strings(rule, "destination_addresses"),
                                         destinationFqdns: strings(rule, "destination_fqdns"), destinationPorts: strings(rule, "destination_ports"))
                parsed.sourceIPGroups = rids(rule, "source_ip_groups")
                parsed.destinationIPGroups = rids(rule, "destination_ip_groups")
                return .network(parsed)
            }
            collections.append(FirewallRuleCollection(name: string(collection, "name") ?? "", priority: int(collection, "priority") ?? 100,
                                                      action: action(string(collection, "action")), rules: rules))
        }
        for collection in blocks(v, "nat_rule_collection") {
            let rules: [FirewallRule] = blocks(collection, "rule").map { rule in
                var parsed = NatRule(name: string(rule, "name") ?? "rule", protocols: strings(rule, "protocols").map(firewallProtocol),
                                     sourceAddresses: strings(rule, "source_addresses"),
                                     destinationAddresses: [string(rule, "destination_address")].compactMap { $0 },
                                     destinationPorts: strings(rule, "destination_ports"), translatedAddress: string(rule, "translated_address"),
                                     translatedPort: string(rule, "translated_port"))
                parsed.translatedFqdn = string(rule, "translated_fqdn")
                parsed.sourceIPGroups = rids(rule, "source_ip_groups")
                return .nat(parsed)
            }
            collections.append(FirewallRuleCollection(name: string(collection, "name") ?? "", priority: int(collection, "priority") ?? 100,
                                                      action: .dnat, rules: rules))
        }
        // Collections are processed by priority whatever their kind (https://learn.microsoft.com/azure/firewall/rule-processing).
        let ordered = collections.enumerated().sorted { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }.map(\.element)
        policy.ruleCollectionGroups.append(FirewallRuleCollectionGroup(name: string(v, "name") ?? "", priority: int(v, "priority") ?? 100,
                                                                       ruleCollections: ordered))
        policy.ruleCollectionGroups.sort { $0.priority < $1.priority }
        graph.insert(policy)
    }

    // MARK: - ARM-shaped resources

    /// `azurerm_resource_group_template_deployment`: the embedded template goes through the ARM importer.
    mutating func mapTemplateDeployment(_ instance: ResourceInstance) {
        let v = instance.value
        guard let content = v["template_content"]?.stringValue else {
            return warn("template_content is only known after apply, so what the deployment creates is unknown")
        }
        let file = evaluator.fileOrigins[content] ?? instance.position.file
        let (node, loadDiagnostics) = ARMLoader.parse(bytes: Array(content.utf8), file: file)
        evaluator.diagnostics.append(contentsOf: loadDiagnostics)
        guard let node else { return }
        var options = EvaluationOptions()
        options.deployment.subscriptionID = evaluator.options.subscriptionID
        if let group = string(v, "resource_group_name") { options.deployment.resourceGroup = group }
        if let rg = graph.all(ResourceGroup.self).first(where: { $0.name == v["resource_group_name"]?.stringValue }), let location = rg.location {
            options.deployment.location = location
        }
        if let parameters = v["parameters_content"]?.stringValue {
            // parameters_content holds the parameters object itself; a full parameters file wraps it in "parameters".
            let decoded = try? TerraformFunctions.decodeJSON(parameters, file: instance.position.file)
            let wrapped = decoded?["parameters"] != nil ? parameters : "{\"parameters\": \(parameters)}"
            let (pnode, pd) = ARMLoader.parse(bytes: Array(wrapped.utf8), file: instance.position.file)
            evaluator.diagnostics.append(contentsOf: pd)
            if let pnode {
                let (values, vd) = ARMLoader.parameters(from: pnode, file: instance.position.file)
                evaluator.diagnostics.append(contentsOf: vd)
                options.parameters.merge(values) { $1 }
            }
        } else if v["parameters_content"] != nil {
            warn("parameters_content is only known after apply; the template's defaults are used")
        }
        let expanded = TemplateEvaluator.expand(node, file: file, options: options)
        let (deployed, diagnostics) = ARMImporter.importDeployment(expanded)
        evaluator.diagnostics.append(contentsOf: diagnostics.items.map { item in
            var copy = item
            if copy.severity == .error { copy.severity = .warning }
            return copy
        })
        for resource in deployed.resources where graph[resource.id] == nil { graph.insert(resource) }
        evaluator.assume("\(instance.address) deploys an embedded ARM template: its \(deployed.count) resources are read from \((file as NSString).lastPathComponent)")
    }

    /// `azapi_resource`: its body is ARM, so it goes through the ARM importer's converter.
    mutating func mapAzapi(_ instance: ResourceInstance) {
        let v = instance.value
        guard let typeText = string(v, "type"), let id = idByAddress[instance.address] else {
            return warn("its type, name or parent is only known after apply; it is left out")
        }
        let armType = String(typeText.split(separator: "@").first ?? "")
        let apiVersion = typeText.split(separator: "@").dropFirst().first.map(String.init)
        let properties = body(v)?["properties"] ?? .object([:])
        if armType.lowercased() == "microsoft.machinelearningservices/workspaces/outboundrules",
           case let parent = ResourceID(id.rawValue.components(separatedBy: "/outboundRules/").first ?? ""), var workspace = graph.resource(parent, as: MachineLearningWorkspace.self) {
            let kind = ManagedOutboundRule.Kind(rawValue: properties["type"]?.stringValue ?? "") ?? .fqdn
            var rule = ManagedOutboundRule(name: id.name, kind: kind)
            rule.category = properties["category"]?.stringValue ?? "UserDefined"
            let destination = properties["destination"]
            switch kind {
            case .fqdn: rule.fqdn = destination?.stringValue
            case .privateEndpoint:
                rule.serviceResourceID = destination?["serviceResourceId"]?.stringValue.map { ResourceID($0) }
                rule.subresourceTarget = destination?["subresourceTarget"]?.stringValue
                rule.sparkEnabled = destination?["sparkEnabled"]?.boolValue ?? false
            case .serviceTag:
                rule.serviceTag = destination?["serviceTag"]?.stringValue
                rule.serviceTagProtocol = destination?["protocol"]?.stringValue
                rule.portRanges = destination?["portRanges"]?.stringValue
                rule.action = destination?["action"]?.stringValue ?? "Allow"
            }
            workspace.managedNetwork.outboundRules.append(rule)
            graph.insert(workspace)
            return
        }
        var bodyObject = body(v)?.objectValue ?? [:]
        bodyObject["properties"] = properties
        if let location = location(v) { bodyObject["location"] = .string(location) }
        if let tags = v["tags"], case .object = tags { bodyObject["tags"] = tags }
        // Values known only after apply (a generated password, another resource's ID) read as null: the rest of the
        // body still describes the resource.
        let json = HCLValue.object(bodyObject).jsonText(unknownAsNull: true) ?? "{}"
        let (node, _) = ARMLoader.parse(bytes: Array(json.utf8), file: instance.position.file)
        guard let node else { return }
        let raw = RawResource(type: armType, name: id.name, id: id.rawValue, body: node.value, source: source(instance))
        let (converted, _) = ARMImporter.convert([raw])
        for resource in converted.resources {
            var payload = resource
            if case .opaque(var opaque) = resource {
                opaque.apiVersion = apiVersion
                opaque.source = source(instance)
                payload = .opaque(opaque)
            }
            graph.insert(payload)
        }
    }
}
