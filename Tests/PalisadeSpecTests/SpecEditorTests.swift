import PalisadeSpec
import Testing

/// Spec edits keep every other byte of the file.
@Suite struct SpecEditorTests {
    @Test func replacesAScalarInAFlowMapping() throws {
        #expect(try SpecEditor.apply([("storage.sharedKeyAccess", "false")], to: "storage: {sharedKeyAccess: true}") == "storage: {sharedKeyAccess: false}")
        #expect(try SpecEditor.apply([("a.b", "x")], to: "a: {c: 1, b: 'q', d: 2}") == "a: {c: 1, b: x, d: 2}")
    }

    @Test func replacesAScalarInABlockMappingKeepingComments() throws {
        let text = "# top\nkeyVault:\n  purgeProtection: false  # why\n  rbacAuthorization: true\n"
        #expect(try SpecEditor.apply([("keyVault.purgeProtection", "true")], to: text)
                == "# top\nkeyVault:\n  purgeProtection: true  # why\n  rbacAuthorization: true\n")
    }

    /// A spec written with CRLF breaks (Windows) is edited and keeps its CRLF breaks.
    @Test func keepsCRLFLineBreaks() throws {
        let text = "# top\r\nkeyVault:\r\n  purgeProtection: false  # why\r\n  rbacAuthorization: true\r\n"
        #expect(try SpecEditor.apply([("keyVault.purgeProtection", "true")], to: text)
                == "# top\r\nkeyVault:\r\n  purgeProtection: true  # why\r\n  rbacAuthorization: true\r\n")
    }

    @Test func addsMissingKeys() throws {
        #expect(try SpecEditor.apply([("workspace.publicNetworkAccess", "false")], to: "storage: {sku: Standard_ZRS}\n")
                == "workspace: {publicNetworkAccess: false}\nstorage: {sku: Standard_ZRS}\n")
        #expect(try SpecEditor.apply([("compute.publicIp", "false")], to: "compute: {instance: {name: ci}}")
                == "compute: {instance: {name: ci}, publicIp: false}")
        #expect(try SpecEditor.apply([("keyVault.purgeProtection", "true")], to: "keyVault:\n  rbacAuthorization: true\n")
                == "keyVault:\n  purgeProtection: true\n  rbacAuthorization: true\n")
        #expect(try SpecEditor.apply([("a", "1")], to: "") == "a: 1\n")
    }

    @Test func refusesWhatItCannotEditInPlace() {
        #expect(throws: SpecEditor.EditError.self) { try SpecEditor.apply([("a.b", "1")], to: "a: [1, 2]") }
        #expect(throws: SpecEditor.EditError.self) { try SpecEditor.apply([("a", "1")], to: "a: |\n  text\n") }
    }

    @Test func replacesAFlowListOnOneLine() throws {
        let text = "# rules\nworkspace: {managedNetwork: {outboundRules: [{name: blobs, type: FQDN, destination: '*.blob.core.windows.net'}], isolationMode: AllowOnlyApprovedOutbound}}  # keep\n"
        #expect(try SpecEditor.apply([("workspace.managedNetwork.outboundRules", "[]")], to: text)
                == "# rules\nworkspace: {managedNetwork: {outboundRules: [], isolationMode: AllowOnlyApprovedOutbound}}  # keep\n")
        #expect(try SpecEditor.apply([("firewall.allowFqdns", "[a.org, \"b]c.org\"]")], to: "firewall:\n  allowFqdns: [\"x]y.org\", z.org]\n")
                == "firewall:\n  allowFqdns: [a.org, \"b]c.org\"]\n")
    }

    @Test func leavesBlockListsToTheUser() {
        #expect(throws: SpecEditor.EditError.self) {
            try SpecEditor.apply([("firewall.allowFqdns", "[a.org]")], to: "firewall:\n  allowFqdns:\n    - x.org\n")
        }
    }

    @Test func selectsAnElementOfABlockListByIndex() throws {
        let text = "# mine\nintents:\n  - from: all computes  # first\n    mayReachOnly: [VirtualNetwork]\n  - from: all jumpboxes\n    mayReachOnly: [VirtualNetwork]\n"
        #expect(try SpecEditor.apply([("intents.0.mayReachOnly", "[VirtualNetwork, AzureActiveDirectory]")], to: text)
                == "# mine\nintents:\n  - from: all computes  # first\n    mayReachOnly: [VirtualNetwork, AzureActiveDirectory]\n  - from: all jumpboxes\n    mayReachOnly: [VirtualNetwork]\n")
        #expect(try SpecEditor.apply([("intents.1.from", "vm-test")], to: text)
                == "# mine\nintents:\n  - from: all computes  # first\n    mayReachOnly: [VirtualNetwork]\n  - from: vm-test\n    mayReachOnly: [VirtualNetwork]\n")
        // A key the element lacks goes on the element's first line, the rest of the element below it.
        #expect(try SpecEditor.apply([("intents.1.name", "people")], to: text)
                == "# mine\nintents:\n  - from: all computes  # first\n    mayReachOnly: [VirtualNetwork]\n  - name: people\n    from: all jumpboxes\n    mayReachOnly: [VirtualNetwork]\n")
    }

    @Test func selectsAnElementOfAFlowListByIndex() throws {
        let text = "intents: [{from: a, mayReachOnly: [x]}, {from: b, mustReach: [y], ports: [443]}]  # keep\n"
        #expect(try SpecEditor.apply([("intents.1.mustReach", "[y, z]")], to: text)
                == "intents: [{from: a, mayReachOnly: [x]}, {from: b, mustReach: [y, z], ports: [443]}]  # keep\n")
        #expect(try SpecEditor.apply([("intents.0.from", "c")], to: text)
                == "intents: [{from: c, mayReachOnly: [x]}, {from: b, mustReach: [y], ports: [443]}]  # keep\n")
        #expect(try SpecEditor.apply([("intents.0.name", "n")], to: text)
                == "intents: [{from: a, mayReachOnly: [x], name: n}, {from: b, mustReach: [y], ports: [443]}]  # keep\n")
    }

    @Test func refusesIndicesItCannotFollow() {
        let text = "intents:\n  - from: a\n    mayReachOnly: [x]\nfirewall: {allowFqdns: [a.org]}\n"
        // Past the end, into a list of scalars, a whole element, a list that is not written, a mapping.
        for key in ["intents.1.from", "firewall.allowFqdns.0.x", "intents.0", "workspace.rules.0.name", "firewall.0.allowFqdns"] {
            #expect(throws: SpecEditor.EditError.self, "\(key)") { try SpecEditor.apply([(key, "1")], to: text) }
        }
    }
}
