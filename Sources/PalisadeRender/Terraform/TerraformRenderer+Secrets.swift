import PalisadeModel

/// Key Vault secrets, written through Azure Resource Manager rather than the vault's data plane.
///
/// The vault has public network access disabled, so a data-plane write (`azurerm_key_vault_secret`) fails on the first
/// `terraform apply` from outside the virtual network. The management-plane resource type
/// `Microsoft.KeyVault/vaults/secrets` is a request to Azure Resource Manager, which writes the secret on the
/// deployer's behalf; the Key Vault firewall governs the data plane only, so the vault stays private throughout.
/// - https://learn.microsoft.com/azure/templates/microsoft.keyvault/vaults/secrets
/// - https://learn.microsoft.com/azure/key-vault/general/access-behind-firewall (management vs. data plane endpoints)
/// - https://learn.microsoft.com/javascript/api/@azure/arm-keyvault/secretsoperations (the management API exists
///   for deployments; applications use the data plane)
extension TerraformRenderer {
    /// The `azapi_resource` (and, for a generated value, its `random_password`) for one secret.
    func keyVaultSecretBlock(_ secret: KeyVaultSecret) -> [HCLBlock] {
        guard let entry = symbols.entry(secret.id) else { return [] }
        var block = HCLBlock("resource", entry.type, entry.label)
        block.comment("Written through Azure Resource Manager, not the vault's data plane: works while the vault is private.")
        block.attr("type", .string("Microsoft.KeyVault/vaults/secrets@\(ARMRenderer.apiVersion(.keyVaultSecret))"))
        block.attr("name", .string(secret.name))
        block.attr("parent_id", ref(secret.vault))
        block.attr("body", .object([("properties", .object([
            ("contentType", .string(secret.contentType ?? "secret")),
            ("value", secretValue(secret)),
        ]))]))
        block.attr("tags", tags(secret.tags))
        return [block]
    }

    /// The value a secret is written with: the generated password, or the sensitive variable supplying it.
    func secretValue(_ secret: KeyVaultSecret) -> HCLValue {
        switch secret.value {
        case .generated: .expr("random_password.\(symbols.entry(secret.id)?.label ?? "secret").result")
        case .secureParameter(let name): .expr("var.\(TerraformSymbols.sanitize(name))")
        case .keyVaultSecret, .redactedLiteral: .expr("var.\(TerraformSymbols.sanitize(secret.name))")
        }
    }

    /// The data-plane ID (`https://<vault>.vault.azure.net/secrets/<name>`) of a secret, without a version.
    func secretVersionlessID(_ secret: KeyVaultSecret) -> HCLValue? {
        guard let vault = symbols.address(secret.vault) else { return nil }
        return .template("${\(vault).vault_uri}secrets/\(secret.name)")
    }

    /// For each RBAC vault holding secrets: "Key Vault Secrets User" for the identity running Terraform, so that
    /// it can read the jumpbox password from inside the network. Writing needs no data-plane role (see above).
    /// Role: https://learn.microsoft.com/azure/key-vault/general/rbac-guide#azure-built-in-roles-for-key-vault-data-plane-operations
    func deployerSecretReaderBlocks() -> [HCLBlock] {
        graph.all(KeyVault.self).compactMap { vault -> HCLBlock? in
            guard vault.enableRbacAuthorization, let label = symbols.entry(vault.id)?.label,
                  graph.all(KeyVaultSecret.self).contains(where: { $0.vault == vault.id }) else { return nil }
            var block = HCLBlock("resource", "azurerm_role_assignment", "deployer_secrets_user_\(label)")
            block.comment("Lets the identity running Terraform read the secrets from inside the network (RBAC vault).")
            block.attr("scope", ref(vault.id))
            block.attr("role_definition_name", .string("Key Vault Secrets User"))
            block.attr("principal_id", .expr("data.azurerm_client_config.current.object_id"))
            return block
        }
    }
}
