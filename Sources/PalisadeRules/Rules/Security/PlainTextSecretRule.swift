import PalisadeModel

/// Passwords and secret values written into the template or a plain parameter.
public struct PlainTextSecretRule: Rule {
    public static let description = RuleDescription(
        id: "plain_text_secret",
        title: "Plain Text Secret",
        kind: .security,
        defaultSeverity: .error,
        rationale: """
        A VM administrator password or key vault secret given as a literal, or through a parameter that is not a \
        secureString, is stored in the template, the parameter file and the deployment history, where anyone with \
        read access to the resource group can see it.
        """,
        source: "https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices; arm-ttk secure parameters",
        fix: "pass the value through a secureString parameter or a Key Vault reference, or generate it at deployment",
        passingExamples: [.spec("{}"), .arm("""
            {"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-09-01", "name": "vm-jumpbox", "location": "westeurope",
             "properties": {"osProfile": {"computerName": "jumpbox", "adminUsername": "azureuser",
               "linuxConfiguration": {"disablePasswordAuthentication": true}}}}
            """)],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-09-01", "name": "vm-jumpbox", "location": "westeurope",
             "properties": {"osProfile": {"computerName": "jumpbox", "adminUsername": "azureuser", "adminPassword": "Passw0rd-in-template!"}}},
            {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-example", "location": "westeurope",
             "properties": {"tenantId": "00000000-0000-0000-0000-000000000000", "sku": {"family": "A", "name": "standard"}}},
            {"type": "Microsoft.KeyVault/vaults/secrets", "apiVersion": "2023-07-01", "name": "kv-example/db-password",
             "dependsOn": ["[resourceId('Microsoft.KeyVault/vaults', 'kv-example')]"], "properties": {"value": "hunter2"}}
            """, flagging: ["vm-jumpbox", "db-password"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let vms: [Finding] = context.graph.all(VirtualMachine.self).compactMap { vm in
            guard vm.adminPassword == .redactedLiteral else { return nil }
            return context.finding(Self.self, vm, "virtual machine '\(vm.name)' has its administrator password written in plain text",
                                   evidence: [.property(vm.id, "properties.osProfile.adminPassword", "(literal value, redacted)")])
        }
        let secrets: [Finding] = context.graph.all(KeyVaultSecret.self).compactMap { secret in
            guard secret.value == .redactedLiteral else { return nil }
            return context.finding(Self.self, secret, "key vault secret '\(secret.name)' has its value written in plain text",
                                   evidence: [.property(secret.id, "properties.value", "(literal value, redacted)")])
        }
        return vms + secrets
    }
}

// MARK: - Fix

extension PlainTextSecretRule {
    /// Takes the value from a secure parameter instead of the text
    /// (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#parameters).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        if context.graph.resource(finding.subject, as: VirtualMachine.self) != nil {
            let parameter = "adminPassword" + finding.subject.name.filter { $0.isLetter || $0.isNumber }.capitalized
            return context.propose("take the administrator password of '\(finding.subject.name)' from secure parameter '\(parameter)'") {
                $0.update(finding.subject, as: VirtualMachine.self) { $0.adminPassword = .secureParameter(name: parameter) }
            }
        }
        guard context.graph.resource(finding.subject, as: KeyVaultSecret.self) != nil else { return nil }
        let parameter = finding.subject.name.filter { $0.isLetter || $0.isNumber }
        return context.propose("take the value of secret '\(finding.subject.name)' from secure parameter '\(parameter)'") {
            $0.update(finding.subject, as: KeyVaultSecret.self) { $0.value = .secureParameter(name: parameter) }
        }
    }
}
