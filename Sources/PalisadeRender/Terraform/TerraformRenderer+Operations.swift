import PalisadeModel

extension TerraformRenderer {
    /// Log Analytics, Application Insights, AMPLS with its scoped resources, and diagnostic settings.
    func monitoringBlocks() -> [HCLBlock] {
        var blocks: [HCLBlock] = []
        for logs in graph.all(LogAnalyticsWorkspace.self) {
            var block = resourceBlock(logs.id)
            block.attr("sku", .string(logs.sku))
            block.attr("retention_in_days", .int(logs.retentionInDays))
            block.attr("internet_ingestion_enabled", .bool(logs.publicNetworkAccessForIngestion.isEnabled))
            block.attr("internet_query_enabled", .bool(logs.publicNetworkAccessForQuery.isEnabled))
            blocks.append(withTags(block, logs.tags))
        }
        for insights in graph.all(ApplicationInsights.self) {
            var block = resourceBlock(insights.id)
            block.attr("application_type", .string(insights.applicationType))
            block.attr("workspace_id", ref(insights.workspace))
            block.attr("internet_ingestion_enabled", .bool(insights.publicNetworkAccessForIngestion.isEnabled))
            block.attr("internet_query_enabled", .bool(insights.publicNetworkAccessForQuery.isEnabled))
            blocks.append(withTags(block, insights.tags))
        }
        for scope in graph.all(MonitorPrivateLinkScope.self) {
            var block = resourceBlock(scope.id, withLocation: false)
            block.attr("ingestion_access_mode", .string(scope.ingestionAccessMode))
            block.attr("query_access_mode", .string(scope.queryAccessMode))
            blocks.append(withTags(block, scope.tags))
            let scopeLabel = symbols.entry(scope.id)?.label ?? "main"
            for scoped in scope.scopedResources {
                guard let target = symbols.entry(scoped) else { continue }
                var service = HCLBlock("resource", "azurerm_monitor_private_link_scoped_service",
                                       scopeLabel == "main" ? target.label == "main" ? TerraformSymbols.sanitize(target.type.replacingOccurrences(of: "azurerm_", with: "")) : target.label : "\(scopeLabel)_\(target.label)")
                service.attr("name", .template("scoped-" + nameTemplateText(scoped)))
                service.attr("resource_group_name", .expr("\(resourceGroupAddress).name"))
                service.attr("scope_name", ref(scope.id, "name"))
                service.attr("linked_resource_id", ref(scoped))
                blocks.append(service)
            }
        }
        for setting in graph.all(DiagnosticSetting.self) {
            guard let entry = symbols.entry(setting.id) else { continue }
            var block = HCLBlock("resource", entry.type, entry.label)
            block.attr("name", .string(setting.name))
            block.attr("target_resource_id", ref(setting.target))
            block.attr("log_analytics_workspace_id", ref(setting.workspace))
            if context.logCategories(setting).count < setting.logCategories.count {
                block.comment("Storage logs are emitted per service (blobServices, fileServices); the account sends metrics only.")
            }
            for category in context.logCategories(setting) {
                var log = HCLBlock("enabled_log")
                log.attr("category_group", .string(category))
                block.block(log)
            }
            if setting.allMetrics {
                var metric = HCLBlock("enabled_metric")
                metric.attr("category", .string("AllMetrics"))
                block.block(metric)
            }
            blocks.append(block)
        }
        return blocks
    }

    /// Bastion, jumpbox NIC and VM with a generated password stored in Key Vault, and the VPN gateway.
    func accessBlocks() -> [HCLBlock] {
        var blocks: [HCLBlock] = []
        for bastion in graph.all(BastionHost.self) {
            for configuration in bastion.ipConfigurations {
                if let pip = configuration.publicIPAddress { blocks += publicIPBlocks(pip, zones: false) }
            }
            var block = resourceBlock(bastion.id)
            block.attr("sku", .string(bastion.sku))
            if bastion.sku != "Basic", bastion.sku != "Developer" { block.attr("tunneling_enabled", .bool(bastion.enableTunneling)) }
            for configuration in bastion.ipConfigurations {
                var inner = HCLBlock("ip_configuration")
                inner.attr("name", .string(configuration.name))
                inner.attr("subnet_id", ref(configuration.subnet))
                inner.attr("public_ip_address_id", ref(configuration.publicIPAddress))
                block.block(inner)
            }
            blocks.append(withTags(block, bastion.tags))
        }
        for secret in generatedSecrets {
            guard let label = symbols.entry(secret.id)?.label else { continue }
            var password = HCLBlock("resource", "random_password", label)
            if case .generated(let length) = secret.value { password.attr("length", .int(max(length, 16))) }
            password.attr("special", .bool(true))
            password.attr("min_lower", .int(1))
            password.attr("min_upper", .int(1))
            password.attr("min_numeric", .int(1))
            password.attr("min_special", .int(1))
            password.attr("override_special", .string("!#%*()-_=+[]{}:?"))
            blocks.append(password)
        }
        for secret in graph.all(KeyVaultSecret.self) {
            blocks += keyVaultSecretBlock(secret)
        }
        for nic in graph.all(NetworkInterface.self) {
            var block = resourceBlock(nic.id)
            if nic.enableIPForwarding { block.attr("ip_forwarding_enabled", .bool(true)) }
            for configuration in nic.ipConfigurations {
                var inner = HCLBlock("ip_configuration")
                inner.attr("name", .string(configuration.name))
                inner.attr("subnet_id", ref(configuration.subnet))
                inner.attr("private_ip_address_allocation", .string(configuration.privateIPAllocationMethod))
                if configuration.privateIPAllocationMethod == "Static", let address = configuration.privateIPAddress {
                    inner.attr("private_ip_address", .string(address.description))
                }
                inner.attr("public_ip_address_id", ref(configuration.publicIPAddress))
                block.block(inner)
            }
            blocks.append(withTags(block, nic.tags))
        }
        for vm in graph.all(VirtualMachine.self) {
            blocks.append(virtualMachineBlock(vm))
        }
        for gateway in graph.all(VirtualNetworkGateway.self) {
            for configuration in gateway.ipConfigurations {
                if let pip = configuration.publicIPAddress { blocks += publicIPBlocks(pip, zones: gateway.sku.hasSuffix("AZ")) }
            }
            var block = resourceBlock(gateway.id)
            block.attr("type", .string(gateway.gatewayType))
            block.attr("vpn_type", .string(gateway.vpnType))
            block.attr("sku", .string(gateway.sku))
            block.attr("active_active", .bool(false))
            block.attr("bgp_enabled", .bool(gateway.enableBgp))
            for configuration in gateway.ipConfigurations {
                var inner = HCLBlock("ip_configuration")
                inner.attr("name", .string(configuration.name))
                inner.attr("subnet_id", ref(configuration.subnet))
                inner.attr("public_ip_address_id", ref(configuration.publicIPAddress))
                inner.attr("private_ip_address_allocation", .string("Dynamic"))
                block.block(inner)
            }
            if let clients = gateway.vpnClientConfiguration {
                var inner = HCLBlock("vpn_client_configuration")
                inner.attr("address_space", .strings(clients.addressPool.map(\.description)))
                inner.attr("vpn_client_protocols", .strings(clients.protocols))
                inner.attr("vpn_auth_types", .strings(clients.authenticationTypes))
                for certificate in clients.rootCertificates {
                    var root = HCLBlock("root_certificate")
                    root.attr("name", .string(certificate.name))
                    root.attr("public_cert_data", certificate.publicCertData.map { .string($0) }
                        ?? .expr("var.\(rootCertificateVariable(certificate))"))
                    inner.block(root)
                }
                block.block(inner)
            }
            blocks.append(withTags(block, gateway.tags))
        }
        return blocks
    }

    private func virtualMachineBlock(_ vm: VirtualMachine) -> HCLBlock {
        var block = resourceBlock(vm.id)
        let linux = vm.osType.lowercased() == "linux"
        block.attr("size", .string(vm.size))
        block.attr("admin_username", .string(vm.adminUsername))
        // https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/linux_virtual_machine :
        // with disable_password_authentication = true an admin_ssh_key is required and admin_password is not set.
        if vm.usesSSHKeysOnly {
            block.attr("disable_password_authentication", .bool(true))
        } else {
            block.attr("admin_password", passwordValue(vm))
            if linux { block.attr("disable_password_authentication", .bool(false)) }
        }
        if linux {
            for (i, key) in (vm.sshPublicKeys ?? []).enumerated() {
                var ssh = HCLBlock("admin_ssh_key")
                ssh.attr("username", .string(vm.adminUsername))
                ssh.attr("public_key", key.keyData.map { .string($0) } ?? .expr("var.\(sshKeyVariable(vm, i))"))
                block.block(ssh)
            }
        }
        block.attr("network_interface_ids", .list(vm.networkInterfaces.compactMap { ref($0) }))
        var disk = HCLBlock("os_disk")
        disk.attr("caching", .string("ReadWrite"))
        disk.attr("storage_account_type", .string("Premium_LRS"))
        block.block(disk)
        let image = vm.image.split(separator: ":").map(String.init)
        if image.count == 4 {
            var source = HCLBlock("source_image_reference")
            source.attr("publisher", .string(image[0]))
            source.attr("offer", .string(image[1]))
            source.attr("sku", .string(image[2]))
            source.attr("version", .string(image[3]))
            block.block(source)
        }
        var diagnostics = HCLBlock("boot_diagnostics")
        diagnostics.comment("Managed boot diagnostics storage.")
        block.block(diagnostics)
        if let identity = identityBlock(vm.identity) { block.block(identity) }
        return withTags(block, vm.tags)
    }

    private func passwordValue(_ vm: VirtualMachine) -> HCLValue? {
        switch vm.adminPassword {
        case .keyVaultSecret(let vault, let secretName)?:
            let secretID = vault.child("secrets", secretName)
            if let secret = graph.resource(secretID, as: KeyVaultSecret.self), let label = symbols.entry(secret.id)?.label {
                if case .generated = secret.value { return .expr("random_password.\(label).result") }
                return secretValue(secret)
            }
            return .expr("var.\(TerraformSymbols.sanitize(secretName))")
        case .generated?:
            return nil
        case .secureParameter(let name)?: return .expr("var.\(TerraformSymbols.sanitize(name))")
        case .redactedLiteral?: return .expr("var.\(TerraformSymbols.sanitize("\(vm.name)_admin_password"))")
        case nil: return nil
        }
    }

    /// User-assigned identities, the graph's role assignments and the deployer's Key Vault reader role.
    func identityBlocks() -> [HCLBlock] {
        var blocks: [HCLBlock] = []
        for identity in graph.all(UserAssignedIdentity.self) {
            blocks.append(withTags(resourceBlock(identity.id), identity.tags))
        }
        for assignment in graph.all(RoleAssignment.self) {
            guard let entry = symbols.entry(assignment.id) else { continue }
            var block = HCLBlock("resource", entry.type, entry.label)
            block.attr("name", roleAssignmentName(assignment))
            block.attr("scope", ref(assignment.scope))
            if let role = assignment.roleName {
                block.attr("role_definition_name", .string(role))
            } else {
                block.attr("role_definition_id", .template(
                    "/subscriptions/${data.azurerm_client_config.current.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/\(RenderContext.roleDefinitionGUID(assignment.roleDefinitionID))"))
            }
            if let principal = assignment.principal {
                block.attr("principal_id", principalID(principal))
            } else if let object = assignment.principalObjectID {
                block.attr("principal_id", .string(object))
            }
            block.attr("principal_type", .string(assignment.principalType))
            blocks.append(block)
        }
        blocks += deployerSecretReaderBlocks()
        return blocks
    }

    /// A role assignment's name: a GUID derived from the scope's and the principal's resource IDs and the role, so it
    /// changes with every name those IDs are built from (`uuidv5`:
    /// https://developer.hashicorp.com/terraform/language/functions/uuidv5; role assignment names must be GUIDs:
    /// https://learn.microsoft.com/azure/role-based-access-control/role-assignments-template#name).
    func roleAssignmentName(_ assignment: RoleAssignment) -> HCLValue {
        let principal: HCLValue = assignment.principal.flatMap { ref($0) } ?? .string(assignment.principalObjectID ?? "")
        let role = assignment.roleName ?? RenderContext.roleDefinitionGUID(assignment.roleDefinitionID)
        let parts = [ref(assignment.scope) ?? .string(""), .string(role), principal].map(inlineExpression)
        return .expr("uuidv5(\"url\", join(\"|\", [\(parts.joined(separator: ", "))]))")
    }

    /// A value written inside an expression: bare expressions as they are, literal strings quoted.
    func inlineExpression(_ value: HCLValue) -> String {
        switch value {
        case .expr(let text): text
        case .string(let text): HCL.quote(text)
        case .template(let text): "\"\(text)\""
        case .int(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .list, .object: "null"
        }
    }

    /// The principal ID of a graph resource's identity.
    private func principalID(_ id: ResourceID) -> HCLValue? {
        guard let resource = graph[id], let address = symbols.address(id) else { return .string(id.rawValue) }
        switch resource {
        case .userAssignedIdentity: return .expr("\(address).principal_id")
        default: return .expr("\(address).identity[0].principal_id")
        }
    }
}
