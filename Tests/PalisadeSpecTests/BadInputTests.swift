import PalisadeModel
import PalisadeSpec
import Testing

/// Each kind of bad input gets one located, actionable error and no design.
@Suite struct BadInputTests {
    func errors(_ yaml: String) -> [Diagnostic] {
        let (design, diagnostics) = SpecLoader().design(yaml: yaml, file: "bad.yaml")
        #expect(design == nil)
        return diagnostics.errors
    }

    @Test func syntaxErrorHasLineAndColumn() throws {
        let error = try #require(errors("name: test\nnetwork:\n  addressSpace: [10.1.0.0/22\n").first)
        #expect(error.code == "spec.syntax")
        #expect(error.location?.file == "bad.yaml")
        #expect(error.location?.line != nil && error.location?.column != nil)
    }

    @Test func unknownKeyNamesPathAndClosestKey() throws {
        let error = try #require(errors("name: test\nnetwork:\n  adressSpace: 10.1.0.0/22\n").first)
        #expect(error.code == "spec.unknown-key")
        #expect(error.message.contains("adressSpace"))
        #expect(error.location?.path == "network.adressSpace")
        #expect(error.location?.line == 3)
        #expect(error.fix?.contains("did you mean 'addressSpace'") == true)
    }

    /// A bad port inside an intent's destination list is reported as itself, not as "expected a mapping"; a range
    /// written plainly (`0-65535`) is read as the range, never as the number YAML 1.1 would make of it.
    @Test func intentPortErrorsNameThePort() throws {
        let error = try #require(errors("intents:\n  - from: all computes\n    mustReach:\n      - {to: pypi.org, ports: [70000]}\n").first)
        #expect(error.message.contains("port '70000' is not a port"), "\(error.message)")
        #expect(error.location?.path == "intents[0].mustReach[0].ports", "\(String(describing: error.location))")
        let (design, diagnostics) = SpecLoader().design(yaml: "intents:\n  - from: all computes\n    mustReach:\n      - {to: pypi.org, ports: [1-65535, 443]}\n", file: "good.yaml")
        #expect(diagnostics.errors.isEmpty, "\(diagnostics.errors)")
        #expect(design?.intents.first?.destinations.first?.ports.map(\.description) == ["1-65535", "443"])
    }

    @Test func wrongTypeNamesPathAndValue() throws {
        let error = try #require(errors("compute:\n  cluster:\n    maxNodes: many\n").first)
        #expect(error.location?.path == "compute.cluster.maxNodes")
        #expect(error.location?.line == 3)
        #expect(error.message.contains("'many'"))
    }

    @Test func badCIDRNamesValueAndFormat() throws {
        let error = try #require(errors("network:\n  addressSpace: 10.1.0.0/33\n").first)
        #expect(error.location?.path == "network.addressSpace")
        #expect(error.location?.line == 2)
        #expect(error.message.contains("10.1.0.0/33"))
        let hostBits = try #require(errors("network:\n  addressSpace: 10.1.0.1/22\n").first)
        #expect(hostBits.message.contains("did you mean '10.1.0.0/22'"))
    }

    @Test func unknownRegionSuggestsOne() throws {
        let error = try #require(errors("location: westeurop\n").first)
        #expect(error.location?.path == "location")
        #expect(error.location?.line == 1)
        #expect(error.fix?.contains("westeurope") == true)
    }

    @Test func badNamesAreExplained() throws {
        let long = try #require(errors("name: averyveryverylongname\n").first)
        #expect(long.location?.path == "name" && long.message.contains("1–16"))
        let chars = try #require(errors("name: Test_1\n").first)
        #expect(chars.message.contains("Test_1"))
    }

    @Test func maxNodesThatCannotFitIsLocated() throws {
        let yaml = """
        network:
          addressSpace: 10.5.0.0/24
          subnets:
            - { name: compute, prefix: 10.5.0.0/27, uses: [compute, jumpbox] }
            - { name: endpoints, prefix: 10.5.0.64/26, uses: [privateEndpoints] }
            - { name: AzureFirewallSubnet, prefix: 10.5.0.128/26 }
            - { name: AzureBastionSubnet, prefix: 10.5.0.192/26 }
        compute:
          cluster: { maxNodes: 40 }
        """
        let error = try #require(errors(yaml).first)
        #expect(error.code == "plan.capacity")
        #expect(error.location?.path == "network.subnets[0].prefix")
        #expect(error.location?.line == 4)
        #expect(error.message.contains("27 usable"))
    }

    @Test func addressSpaceTooSmallNamesTheSmallestThatFits() throws {
        let error = try #require(errors("network:\n  addressSpace: 10.9.0.0/25\n").first)
        #expect(error.code == "plan.does-not-fit")
        #expect(error.fix?.contains("/23") == true)  // 464 addresses need 512
        #expect(error.location?.line == 2)
    }

    @Test func specialSubnetTooSmallAndOverlaps() {
        let yaml = """
        network:
          addressSpace: 10.7.0.0/22
          subnets:
            - { name: t, prefix: 10.7.0.0/24, uses: [compute, jumpbox, privateEndpoints] }
            - { name: AzureFirewallSubnet, prefix: 10.7.1.0/27 }
            - { name: AzureBastionSubnet, prefix: 10.7.0.128/26 }
        """
        let codes = errors(yaml).map(\.code)
        #expect(codes.contains("plan.special-subnet-size"))
        #expect(codes.contains("plan.overlap"))
    }

    @Test func dockerBridgeIsRejected() throws {
        let error = try #require(errors("network:\n  addressSpace: 172.17.0.0/22\n").first)
        #expect(error.code == "plan.docker-bridge")
    }

    /// "Billion laughs": nine levels of ten aliases would expand to 10^9 values.
    @Test func aliasBombsAreRefused() throws {
        var yaml = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
            yaml += "l\(level): &l\(level) [\(previous)]\n"
        }
        let error = try #require(errors(yaml).first)
        #expect(error.code == "spec.structure")
    }

    @Test func internetOutboundModeOnlyAcceptsPrivateEndpointRules() throws {
        let yaml = """
        workspace:
          managedNetwork:
            isolationMode: AllowInternetOutbound
            outboundRules:
              - { name: pypi, type: FQDN, destination: pypi.org }
        """
        let error = try #require(errors(yaml).first)
        #expect(error.message.contains("AllowInternetOutbound"))
        #expect(error.location?.line == 5)
    }

    @Test func unknownEnumValueListsAllowedValues() throws {
        let error = try #require(errors("workspace:\n  managedNetwork:\n    isolationMode: Sometimes\n").first)
        #expect(error.fix?.contains("AllowOnlyApprovedOutbound") == true)
        #expect(error.location?.line == 3)
    }

    /// The gateway takes the root certificate's base64 DER; anything else fails the deployment, so the spec refuses it.
    @Test func vpnRootCertificateDataMustBeBase64DER() throws {
        let yaml = "access:\n  vpn:\n    enabled: true\n    rootCertificateData: not-a-certificate\n"
        let error = try #require(errors(yaml).first { $0.message.contains("root certificate") })
        #expect(error.location?.line == 4)
        // A DER SEQUENCE of the declared length passes (a minimal 0x30 0x02 0x05 0x00, base64 "MAIFAA==").
        let (design, diagnostics) = SpecLoader().design(yaml: "access:\n  vpn:\n    enabled: true\n    rootCertificateData: MAIFAA==\n", file: "good.yaml")
        #expect(design != nil && !diagnostics.hasErrors)
    }
}
