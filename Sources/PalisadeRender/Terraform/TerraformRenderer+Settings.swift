import PalisadeModel

extension TerraformRenderer {
    /// `terraform` with pinned providers, the azurerm provider and the client configuration data source.
    func providerBlocks() -> [HCLBlock] {
        var providers = HCLBlock("required_providers")
        providers.attr("azurerm", .object([("source", .string("hashicorp/azurerm")), ("version", .string(Self.azurermVersion))]))
        if needsAzapi {
            providers.attr("azapi", .object([("source", .string("azure/azapi")), ("version", .string(Self.azapiVersion))]))
        }
        if !generatedSecrets.isEmpty {
            providers.attr("random", .object([("source", .string("hashicorp/random")), ("version", .string(Self.randomVersion))]))
        }
        var terraform = HCLBlock("terraform")
        terraform.attr("required_version", .string(">= 1.6.0"))
        terraform.block(providers)

        var features = HCLBlock("features")
        var keyVault = HCLBlock("key_vault")
        keyVault.attr("purge_soft_delete_on_destroy", .bool(false))
        keyVault.attr("recover_soft_deleted_key_vaults", .bool(true))
        features.block(keyVault)
        var provider = HCLBlock("provider", "azurerm")
        provider.comment("Storage data-plane calls use Entra ID: shared keys may be disabled on the account.")
        provider.attr("storage_use_azuread", .bool(true))
        provider.block(features)
        var blocks = [terraform, provider]
        if needsAzapi { blocks.append(HCLBlock("provider", "azapi")) }
        blocks.append(HCLBlock("data", "azurerm_client_config", "current"))
        return blocks
    }

    /// `name`, `location`, `address_space`, secrets supplied at apply time, and the shared tags.
    func variableBlocks() -> [HCLBlock] {
        var blocks: [HCLBlock] = []
        var nameVariable = HCLBlock("variable", "name")
        nameVariable.attr("description", .string("Environment name used in every resource name (e.g. vnet-<name>)."))
        nameVariable.attr("type", .expr("string"))
        nameVariable.attr("default", .string(context.name))
        var validation = HCLBlock("validation")
        validation.attr("condition", .expr("can(regex(\"^[a-z][a-z0-9]{0,15}$\", var.name))"))
        validation.attr("error_message", .string("name must be 1-16 lower-case letters and digits starting with a letter (it is part of storage, key vault and registry names)."))
        nameVariable.block(validation)
        blocks.append(nameVariable)
        var location = HCLBlock("variable", "location")
        location.attr("description", .string("Azure region for every regional resource."))
        location.attr("type", .expr("string"))
        location.attr("default", .string(context.location))
        blocks.append(location)
        if let space = context.addressSpace {
            var variable = HCLBlock("variable", "address_space")
            variable.attr("description", .string("Virtual network address space; subnets are carved from it with cidrsubnet()."))
            variable.attr("type", .expr("string"))
            variable.attr("default", .string(space.description))
            var validation = HCLBlock("validation")
            validation.attr("condition", .expr("can(cidrnetmask(var.address_space)) && endswith(var.address_space, \"/\(space.length)\")"))
            validation.attr("error_message", .string("address_space must be an IPv4 /\(space.length): the subnets were planned for that size."))
            variable.block(validation)
            blocks.append(variable)
        }
        for gateway in graph.all(VirtualNetworkGateway.self) {
            for certificate in gateway.vpnClientConfiguration?.rootCertificates ?? [] where certificate.publicCertData == nil {
                var variable = HCLBlock("variable", rootCertificateVariable(certificate))
                variable.attr("description", .string(
                    "Base64 DER of the point-to-site root certificate '\(certificate.name)' (root.b64 from `palisade vpn-certs`)."))
                variable.attr("type", .expr("string"))
                blocks.append(variable)
            }
        }
        for vm in graph.all(VirtualMachine.self) where vm.osType.lowercased() == "linux" {
            for (i, key) in (vm.sshPublicKeys ?? []).enumerated() where key.keyData == nil {
                var variable = HCLBlock("variable", sshKeyVariable(vm, i))
                variable.attr("description", .string("SSH public key \(i + 1) of \(vm.name) (ssh-rsa … or ssh-ed25519 …)."))
                variable.attr("type", .expr("string"))
                blocks.append(variable)
            }
        }
        for (name, description) in secureVariables {
            var variable = HCLBlock("variable", name)
            variable.attr("description", .string(description))
            variable.attr("type", .expr("string"))
            variable.attr("sensitive", .bool(true))
            blocks.append(variable)
        }
        var locals = HCLBlock("locals")
        if let suffix = context.suffix {
            // Storage, key vault and registry names are globally unique. The planned name keeps the planned suffix;
            // any other name gets its own, from a hash of the name and the subscription.
            // sha256/substr: https://developer.hashicorp.com/terraform/language/functions/sha256
            locals.comment("Globally unique names end in this suffix: the planned one for the planned name, else 4 hex digits of a hash of name and subscription.")
            locals.attr("suffix", .expr("var.name == \(HCL.quote(context.name)) ? \(HCL.quote(suffix)) : substr(sha256(\"${var.name}/${data.azurerm_client_config.current.subscription_id}\"), 0, 4)"))
        }
        locals.attr("tags", tagObject(context.commonTags))
        blocks.append(locals)
        return blocks
    }

    /// The variable holding a root certificate that the spec left to deployment time.
    func rootCertificateVariable(_ certificate: VpnRootCertificate) -> String {
        "vpn_root_certificate_" + TerraformSymbols.sanitize(certificate.name)
    }

    /// The variable holding an SSH public key only known at deployment.
    func sshKeyVariable(_ vm: VirtualMachine, _ index: Int) -> String {
        TerraformSymbols.sanitize("\(vm.name)_ssh_public_key" + (index == 0 ? "" : "_\(index + 1)"))
    }

    /// Sensitive variables for secrets the graph says are supplied at deployment; a secure parameter several
    /// resources share is declared once (Terraform rejects a duplicate variable).
    var secureVariables: [(String, String)] {
        var variables: [(String, String)] = []
        for vm in graph.all(VirtualMachine.self) where !vm.usesSSHKeysOnly {
            switch vm.adminPassword {
            case .secureParameter(let name)?:
                variables.append((TerraformSymbols.sanitize(name), "Administrator password of \(vm.name)."))
            case .redactedLiteral?:
                variables.append((TerraformSymbols.sanitize("\(vm.name)_admin_password"), "Administrator password of \(vm.name)."))
            default: break
            }
        }
        for secret in graph.all(KeyVaultSecret.self) {
            if case .secureParameter(let name) = secret.value {
                variables.append((TerraformSymbols.sanitize(name), "Value of Key Vault secret \(secret.name)."))
            }
        }
        var seen: Set<String> = []
        return variables.filter { seen.insert($0.0).inserted }
    }

    /// Outputs an operator needs: names, IDs, private addresses and where the jumpbox password lives.
    func outputBlocks() -> [HCLBlock] {
        var outputs: [(String, String, HCLValue)] = [
            ("resource_group_name", "Resource group holding the environment.", .expr("\(resourceGroupAddress).name")),
        ]
        func add(_ name: String, _ description: String, _ id: ResourceID?, _ attribute: String) {
            guard let id, let address = symbols.address(id) else { return }
            outputs.append((name, description, .expr("\(address).\(attribute)")))
        }
        add("virtual_network_id", "The virtual network.", context.virtualNetwork?.id, "id")
        for workspace in graph.all(MachineLearningWorkspace.self) {
            add("workspace_name", "The Azure Machine Learning workspace.", workspace.id, "name")
            add("workspace_id", "The Azure Machine Learning workspace ID.", workspace.id, "id")
        }
        add("storage_account_name", "The workspace storage account.", graph.all(StorageAccount.self).first?.id, "name")
        add("key_vault_name", "The key vault (holds the jumpbox password).", graph.all(KeyVault.self).first?.id, "name")
        add("container_registry_login_server", "The private container registry.", graph.all(ContainerRegistry.self).first?.id, "login_server")
        if let firewall = graph.all(AzureFirewall.self).first {
            add("firewall_private_ip", "Next hop of the default route.", firewall.id, "ip_configuration[0].private_ip_address")
        }
        add("bastion_name", "Azure Bastion host.", graph.all(BastionHost.self).first?.id, "name")
        add("vpn_gateway_id", "Point-to-site VPN gateway; download the client profile from it.", graph.all(VirtualNetworkGateway.self).first?.id, "id")
        if let vm = graph.all(VirtualMachine.self).first {
            add("jumpbox_private_ip", "Private address of the jumpbox (reach it through Bastion or VPN).", vm.networkInterfaces.first, "private_ip_address")
            add("jumpbox_admin_username", "Administrator user of the jumpbox.", vm.id, "admin_username")
        }
        if let secret = generatedSecrets.first, let id = secretVersionlessID(secret) {
            outputs.append(("jumpbox_password_secret_id", "Key Vault secret ID holding the jumpbox password (the ID, not the value).", id))
        }
        return outputs.map { name, description, value in
            var block = HCLBlock("output", name)
            block.attr("description", .string(description))
            block.attr("value", value)
            return block
        }
    }

    /// Secrets the graph says Terraform generates.
    var generatedSecrets: [KeyVaultSecret] {
        graph.all(KeyVaultSecret.self).filter {
            if case .generated = $0.value { return true }
            return false
        }
    }
}
