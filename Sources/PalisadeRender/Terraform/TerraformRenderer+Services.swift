import PalisadeModel

extension TerraformRenderer {
    /// Private endpoints with their DNS zone groups (zones are referenced, so they exist first).
    func privateEndpointBlocks() -> [HCLBlock] {
        graph.all(PrivateEndpoint.self).map { endpoint in
            var block = resourceBlock(endpoint.id)
            block.attr("subnet_id", ref(endpoint.subnet))
            if let nic = endpoint.customNetworkInterfaceName { block.attr("custom_network_interface_name", .string(nic)) }
            var connection = HCLBlock("private_service_connection")
            connection.attr("name", name(endpoint.id))
            connection.attr("private_connection_resource_id", ref(endpoint.target))
            connection.attr("subresource_names", .strings(endpoint.groupIDs))
            connection.attr("is_manual_connection", .bool(endpoint.manualApproval))
            block.block(connection)
            if let group = endpoint.privateDnsZoneGroup {
                var zones = HCLBlock("private_dns_zone_group")
                zones.attr("name", .string(group.name))
                zones.attr("private_dns_zone_ids", .list(group.zones.compactMap { ref($0) }))
                block.block(zones)
            }
            for configuration in endpoint.ipConfigurations {
                var inner = HCLBlock("ip_configuration")
                inner.attr("name", .string(configuration.name))
                inner.attr("private_ip_address", .string(configuration.privateIPAddress.description))
                inner.attr("subresource_name", .string(configuration.groupID))
                inner.attr("member_name", .string(configuration.memberName))
                block.block(inner)
            }
            return withTags(block, endpoint.tags)
        }
    }

    /// Private DNS zones, their explicit records and VNet links.
    func dnsBlocks() -> [HCLBlock] {
        var blocks: [HCLBlock] = []
        for zone in graph.all(PrivateDnsZone.self) {
            guard let label = symbols.entry(zone.id)?.label else { continue }
            blocks.append(withTags(resourceBlock(zone.id, withLocation: false), zone.tags))
            for link in zone.virtualNetworkLinks {
                var block = HCLBlock("resource", "azurerm_private_dns_zone_virtual_network_link", label)
                block.attr("name", name(ResourceID("/x/\(link.name)")))
                block.attr("resource_group_name", .expr("\(resourceGroupAddress).name"))
                block.attr("private_dns_zone_name", ref(zone.id, "name"))
                block.attr("virtual_network_id", ref(link.virtualNetwork))
                block.attr("registration_enabled", .bool(link.registrationEnabled))
                if link.resolutionPolicy != "Default" { block.attr("resolution_policy", .string(link.resolutionPolicy)) }
                blocks.append(withTags(block, zone.tags))
            }
            for record in zone.recordSets where record.type == "A" {
                var block = HCLBlock("resource", "azurerm_private_dns_a_record", TerraformSymbols.sanitize("\(label)_\(record.name)"))
                block.attr("name", .string(record.name))
                block.attr("zone_name", ref(zone.id, "name"))
                block.attr("resource_group_name", .expr("\(resourceGroupAddress).name"))
                block.attr("ttl", .int(record.ttl))
                block.attr("records", .strings(record.aRecords.map(\.description)))
                blocks.append(block)
            }
        }
        return blocks
    }

    /// Private endpoint outbound rules whose sub-resource azurerm's validation does not accept
    /// (`sub_resource_target` allows vault, amlworkspace, blob, table, queue, file, web, dfs, redisCache).
    var azapiOutboundRules: [(MachineLearningWorkspace, ManagedOutboundRule)] {
        let accepted: Set<String> = ["vault", "amlworkspace", "blob", "table", "queue", "file", "web", "dfs", "redisCache"]
        return graph.all(MachineLearningWorkspace.self).flatMap { workspace in
            workspace.managedNetwork.outboundRules.filter { rule in
                switch rule.kind {
                case .privateEndpoint: !accepted.contains(rule.subresourceTarget ?? "")
                case .serviceTag: rule.action != "Allow"
                case .fqdn: false
                }
            }.map { (workspace, $0) }
        }
    }

    /// The workspace, its managed-network outbound rules and its computes.
    func workspaceBlocks() -> [HCLBlock] {
        var blocks: [HCLBlock] = []
        for workspace in graph.all(MachineLearningWorkspace.self) {
            var block = resourceBlock(workspace.id)
            block.attr("sku_name", .string(workspace.sku))
            if workspace.kind == "FeatureStore" { block.attr("kind", .string(workspace.kind)) }
            block.attr("application_insights_id", ref(workspace.applicationInsights))
            block.attr("key_vault_id", ref(workspace.keyVault))
            block.attr("storage_account_id", ref(workspace.storageAccount))
            block.attr("container_registry_id", ref(workspace.containerRegistry))
            block.attr("public_network_access_enabled", .bool(workspace.publicNetworkAccess?.isEnabled ?? false))
            block.attr("high_business_impact", .bool(workspace.highBusinessImpact))
            if let compute = workspace.imageBuildCompute { block.attr("image_build_compute_name", .string(compute)) }
            if let mode = workspace.systemDatastoresAuthMode {
                block.attr("storage_account_access_type", .string(mode.lowercased() == "identity" ? "Identity" : "AccessKey"))
            }
            block.attr("v1_legacy_mode_enabled", .bool(workspace.v1LegacyMode))
            block.attr("primary_user_assigned_identity", ref(workspace.primaryUserAssignedIdentity))
            if let identity = identityBlock(workspace.identity) { block.block(identity) }
            if workspace.managedNetwork.isolationMode != .disabled {
                var managed = HCLBlock("managed_network")
                managed.attr("isolation_mode", .string(workspace.managedNetwork.isolationMode.rawValue))
                managed.attr("provision_on_creation_enabled", .bool(true))
                block.block(managed)
            }
            // A user-assigned identity approves the managed network's private endpoints: give it its roles first.
            let identityRoles = graph.all(RoleAssignment.self).filter { assignment in
                assignment.principal.map { workspace.identity.userAssigned.contains($0) } ?? false
            }.compactMap { symbols.address($0.id) }
            if !identityRoles.isEmpty { block.attr("depends_on", .list(identityRoles.map { .expr($0) })) }
            blocks.append(withTags(block, workspace.tags))
            if workspace.managedNetwork.firewallSku != nil || !workspace.ipAllowlist.isEmpty {
                let label = symbols.entry(workspace.id)?.label ?? "main"
                var update = HCLBlock("resource", "azapi_update_resource", "\(label)_workspace_settings")
                update.comment("azapi: azurerm has no argument for the managed network firewall SKU or the workspace IP allow list.")
                update.attr("type", .string("Microsoft.MachineLearningServices/workspaces@\(ARMRenderer.apiVersion(.machineLearningWorkspace))"))
                update.attr("resource_id", ref(workspace.id))
                var properties: [(String, HCLValue)] = []
                if !workspace.ipAllowlist.isEmpty { properties.append(("ipAllowlist", .strings(workspace.ipAllowlist))) }
                if let sku = workspace.managedNetwork.firewallSku {
                    properties.append(("managedNetwork", .object([("firewallSku", .string(sku))])))
                }
                update.attr("body", .object([("properties", .object(properties))]))
                blocks.append(update)
            }
            blocks += outboundRuleBlocks(workspace)
        }
        for compute in graph.all(MachineLearningCompute.self) {
            blocks.append(computeBlock(compute))
        }
        return blocks
    }

    private func outboundRuleBlocks(_ workspace: MachineLearningWorkspace) -> [HCLBlock] {
        let viaAzapi = Set(azapiOutboundRules.filter { $0.0.id == workspace.id }.map(\.1.name))
        let workspaceLabel = symbols.entry(workspace.id)?.label ?? "main"
        return workspace.managedNetwork.outboundRules.sorted(by: { $0.name < $1.name }).map { rule in
            let label = TerraformSymbols.sanitize(workspaceLabel == "main" ? rule.name : "\(workspaceLabel)_\(rule.name)")
            if viaAzapi.contains(rule.name) {
                var block = HCLBlock("resource", "azapi_resource", label)
                block.comment("azapi: azurerm's outbound rule resources do not accept this rule (\(rule.kind.rawValue) \(rule.subresourceTarget ?? rule.action)).")
                block.attr("type", .string("Microsoft.MachineLearningServices/workspaces/outboundRules@\(ARMRenderer.apiVersion(.machineLearningWorkspace))"))
                block.attr("name", .string(rule.name))
                block.attr("parent_id", ref(workspace.id))
                var destination: [(String, HCLValue)] = []
                if rule.kind == .privateEndpoint {
                    destination = [("serviceResourceId", ref(rule.serviceResourceID) ?? .string("")),
                                   ("sparkEnabled", .bool(rule.sparkEnabled)),
                                   ("subresourceTarget", .string(rule.subresourceTarget ?? ""))]
                } else {
                    destination = [("action", .string(rule.action)), ("portRanges", .string(rule.portRanges ?? "")),
                                   ("protocol", .string(rule.serviceTagProtocol ?? "TCP")), ("serviceTag", .string(rule.serviceTag ?? ""))]
                }
                block.attr("body", .object([("properties", .object([
                    ("category", .string(rule.category)), ("destination", .object(destination)), ("type", .string(rule.kind.rawValue)),
                ]))]))
                return block
            }
            switch rule.kind {
            case .fqdn:
                var block = HCLBlock("resource", "azurerm_machine_learning_workspace_network_outbound_rule_fqdn", label)
                block.attr("name", .string(rule.name))
                block.attr("workspace_id", ref(workspace.id))
                block.attr("destination_fqdn", .string(rule.fqdn ?? ""))
                return block
            case .serviceTag:
                var block = HCLBlock("resource", "azurerm_machine_learning_workspace_network_outbound_rule_service_tag", label)
                block.attr("name", .string(rule.name))
                block.attr("workspace_id", ref(workspace.id))
                block.attr("service_tag", .string(rule.serviceTag ?? ""))
                block.attr("protocol", .string(rule.serviceTagProtocol ?? "TCP"))
                block.attr("port_ranges", .string(rule.portRanges ?? "443"))
                return block
            case .privateEndpoint:
                var block = HCLBlock("resource", "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint", label)
                block.attr("name", .string(rule.name))
                block.attr("workspace_id", ref(workspace.id))
                block.attr("service_resource_id", ref(rule.serviceResourceID))
                block.attr("sub_resource_target", .string(rule.subresourceTarget ?? ""))
                block.attr("spark_enabled", .bool(rule.sparkEnabled))
                return block
            }
        }
    }

    private func computeBlock(_ compute: MachineLearningCompute) -> HCLBlock {
        let entry = symbols.entry(compute.id) ?? ("azurerm_machine_learning_compute_cluster", "unknown")
        var block = HCLBlock("resource", entry.type, entry.label)
        block.attr("name", .string(compute.name))
        block.attr("machine_learning_workspace_id", ref(compute.workspace))
        if compute.isInstance {
            block.attr("virtual_machine_size", .string(compute.vmSize))
            block.attr("authorization_type", .string("personal"))
        } else {
            block.attr("location", .expr("\(resourceGroupLocation)"))
            block.attr("vm_priority", .string("Dedicated"))
            block.attr("vm_size", .string(compute.vmSize))
            block.attr("ssh_public_access_enabled", .bool(compute.remoteLoginPortPublicAccess == "Enabled"))
        }
        block.attr("subnet_resource_id", ref(compute.subnet))
        block.attr("node_public_ip_enabled", .bool(compute.enableNodePublicIP))
        block.attr("local_auth_enabled", .bool(!compute.disableLocalAuth))
        if let identity = identityBlock(compute.identity) { block.block(identity) }
        if compute.isInstance, let user = compute.assignedUserObjectID {
            var assign = HCLBlock("assign_to_user")
            assign.attr("object_id", .string(user))
            assign.attr("tenant_id", .expr("data.azurerm_client_config.current.tenant_id"))
            block.block(assign)
        }
        // No-public-IP compute talks to the workspace over its private endpoint: create that first.
        let endpoints = graph.privateEndpoints(targeting: compute.workspace).compactMap { symbols.address($0.id) }
        if !endpoints.isEmpty { block.attr("depends_on", .list(endpoints.map { .expr($0) })) }
        if !compute.isInstance {
            var scale = HCLBlock("scale_settings")
            scale.attr("min_node_count", .int(compute.minNodes))
            scale.attr("max_node_count", .int(compute.maxNodes))
            scale.attr("scale_down_nodes_after_idle_duration", .string(compute.nodeIdleTimeBeforeScaleDown ?? "PT30M"))
            block.block(scale)
        }
        return withTags(block, compute.tags)
    }

    /// Storage, key vault, registry and AI services accounts.
    func dataBlocks() -> [HCLBlock] {
        var blocks: [HCLBlock] = []
        for storage in graph.all(StorageAccount.self) {
            var block = resourceBlock(storage.id)
            let sku = storage.sku.split(separator: "_").map(String.init)
            block.attr("account_kind", .string(storage.kind))
            block.attr("account_tier", .string(sku.first ?? "Standard"))
            block.attr("account_replication_type", .string(sku.count > 1 ? sku[1] : "LRS"))
            block.attr("https_traffic_only_enabled", .bool(storage.httpsOnly))
            block.attr("min_tls_version", .string(storage.minimumTLSVersion))
            block.attr("shared_access_key_enabled", .bool(storage.allowSharedKeyAccess))
            block.attr("default_to_oauth_authentication", .bool(!storage.allowSharedKeyAccess))
            block.attr("public_network_access_enabled", .bool(storage.publicNetworkAccess?.isEnabled ?? true))
            block.attr("allow_nested_items_to_be_public", .bool(storage.allowBlobPublicAccess))
            block.attr("is_hns_enabled", .bool(storage.isHnsEnabled))
            var rules = HCLBlock("network_rules")
            rules.attr("default_action", .string(storage.networkACLs.defaultAction.rawValue))
            rules.attr("bypass", .strings(storage.networkACLs.bypass.filter { $0 != "None" }))
            if !storage.networkACLs.ipRules.isEmpty { rules.attr("ip_rules", .strings(storage.networkACLs.ipRules)) }
            if !storage.networkACLs.virtualNetworkRules.isEmpty {
                rules.attr("virtual_network_subnet_ids", .list(storage.networkACLs.virtualNetworkRules.compactMap { ref($0) }))
            }
            for rule in storage.networkACLs.resourceAccessRules {
                var access = HCLBlock("private_link_access")
                access.attr("endpoint_resource_id", resourceAccessTarget(rule.resourceID))
                access.attr("endpoint_tenant_id", context.knownTenant(rule.tenantID).map { .string($0) } ?? .expr("data.azurerm_client_config.current.tenant_id"))
                rules.block(access)
            }
            block.block(rules)
            blocks.append(withTags(block, storage.tags))
        }
        for vault in graph.all(KeyVault.self) {
            var block = resourceBlock(vault.id)
            block.attr("tenant_id", context.knownTenant(vault.tenantID).map { .string($0) } ?? .expr("data.azurerm_client_config.current.tenant_id"))
            block.attr("sku_name", .string(vault.sku))
            block.attr("rbac_authorization_enabled", .bool(vault.enableRbacAuthorization))
            block.attr("purge_protection_enabled", .bool(vault.enablePurgeProtection))
            block.attr("soft_delete_retention_days", .int(vault.softDeleteRetentionInDays))
            block.attr("public_network_access_enabled", .bool(vault.publicNetworkAccess?.isEnabled ?? true))
            var acls = HCLBlock("network_acls")
            acls.attr("bypass", .string(vault.networkACLs.bypass.contains("AzureServices") ? "AzureServices" : "None"))
            acls.attr("default_action", .string(vault.networkACLs.defaultAction.rawValue))
            if !vault.networkACLs.ipRules.isEmpty { acls.attr("ip_rules", .strings(vault.networkACLs.ipRules)) }
            if !vault.networkACLs.virtualNetworkRules.isEmpty {
                acls.attr("virtual_network_subnet_ids", .list(vault.networkACLs.virtualNetworkRules.compactMap { ref($0) }))
            }
            block.block(acls)
            blocks.append(withTags(block, vault.tags))
        }
        for registry in graph.all(ContainerRegistry.self) {
            var block = resourceBlock(registry.id)
            block.attr("sku", .string(registry.sku))
            block.attr("admin_enabled", .bool(registry.adminUserEnabled))
            block.attr("public_network_access_enabled", .bool(registry.publicNetworkAccess?.isEnabled ?? true))
            block.attr("network_rule_bypass_option", .string(registry.networkRuleBypassOptions))
            if registry.sku == "Premium" {
                block.attr("data_endpoint_enabled", .bool(registry.dataEndpointEnabled))
                var rules = HCLBlock("network_rule_set")
                rules.attr("default_action", .string(registry.networkRuleDefaultAction.rawValue))
                for range in registry.ipRules {
                    var rule = HCLBlock("ip_rule")
                    rule.attr("action", .string("Allow"))
                    rule.attr("ip_range", .string(range))
                    rules.block(rule)
                }
                block.block(rules)
            }
            blocks.append(withTags(block, registry.tags))
        }
        for account in graph.all(CognitiveServicesAccount.self) {
            var block = resourceBlock(account.id)
            block.attr("kind", .string(account.kind))
            block.attr("sku_name", .string(account.sku))
            if account.customSubDomainName != nil { block.attr("custom_subdomain_name", name(account.id)) }
            block.attr("public_network_access_enabled", .bool(account.publicNetworkAccess?.isEnabled ?? true))
            block.attr("local_auth_enabled", .bool(!account.disableLocalAuth))
            blocks.append(withTags(block, account.tags))
        }
        return blocks
    }

    /// A storage resource-access rule target: the workspace's ID is built from the resource group (a reference
    /// to the workspace itself would be a cycle, since the workspace needs the storage account first).
    private func resourceAccessTarget(_ text: String) -> HCLValue {
        let id = ResourceID(text)
        guard let type = id.resourceType, graph[id] != nil else { return literalID(text) }
        return .template("${\(resourceGroupAddress).id}/providers/\(type.namespace)/\(type.segments.joined(separator: "/"))/\(nameTemplateText(id))")
    }

    /// The name of a resource as the inside of a template string.
    func nameTemplateText(_ id: ResourceID) -> String {
        templateText(context.nameParts(id))
    }
}
