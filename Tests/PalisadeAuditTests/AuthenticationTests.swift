import Foundation
import Testing
@testable import PalisadeAudit

/// A temporary directory removed at the end of the test.
struct TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes an executable `az` that prints `stdout` (and `stderr`) and exits with `status`; records its arguments.
    func fakeAz(stdout: String, stderr: String = "", status: Int = 0) throws {
        let script = """
        #!/bin/sh
        echo "$@" > "\(path("az-arguments"))"
        cat <<'PALISADE_EOF'
        \(stdout)
        PALISADE_EOF
        printf '%s' '\(stderr)' >&2
        exit \(status)
        """
        try script.write(toFile: path("az"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path("az"))
    }
}

/// A JWT-looking token, so redaction is tested on the shape real tokens have.
let fakeJWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tLyJ9.c2lnbmF0dXJl"

@Suite struct AuthenticationTests {
    @Test func azureCLITokenFromThePath() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The output of `az account get-access-token -o json` (Azure CLI 2.54 and later adds `expires_on`).
        try directory.fakeAz(stdout: """
        {"accessToken": "\(fakeJWT)", "expiresOn": "2026-12-05 01:00:00.000000", "expires_on": 1796432400,
         "subscription": "\(Recorded.subscriptionA)", "tenant": "72f988bf-86f1-41af-91ab-2d7cd011db47", "tokenType": "Bearer"}
        """)
        let credential = AzureCLICredential(environment: ["PATH": directory.url.path + ":/usr/bin:/bin"])
        let token = try await credential.fetchToken()
        #expect(token.secret == fakeJWT)
        #expect(token.expiresOn == Date(timeIntervalSince1970: 1_796_432_400))
        #expect(!"\(token)".contains("eyJ") && !String(reflecting: token).contains("eyJ"))
        var dumped = ""
        dump(token, to: &dumped)
        #expect(!dumped.contains("eyJ"))
        let arguments = try String(contentsOfFile: directory.path("az-arguments"), encoding: .utf8)
        #expect(arguments.contains("account get-access-token --resource https://management.azure.com/ -o json"))
    }

    @Test func azureCLIFailureIsRedactedAndExplained() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.fakeAz(stdout: "", stderr: "ERROR: AADSTS70043: refresh token \(fakeJWT) expired. Run az login.", status: 1)
        let credential = AzureCLICredential(environment: ["PATH": directory.url.path])
        let error = await #expect(throws: AuditError.self) { try await credential.fetchToken() }
        let text = "\(error!)"
        #expect(text.contains("az login"))
        #expect(!text.contains("eyJ"))
    }

    @Test func missingAzureCLIIsExplained() async throws {
        let credential = AzureCLICredential(environment: ["PATH": "/nonexistent"])
        let error = await #expect(throws: AuditError.self) { try await credential.fetchToken() }
        #expect("\(error!)".contains("AZURE_CLIENT_ID"))
    }

    @Test func servicePrincipalUsesClientCredentialsGrant() async throws {
        let server = try FakeAzure { request in
            // Microsoft identity platform token response for the client credentials grant.
            FakeResponse(status: 200, object: ["token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": fakeJWT])
        }
        defer { server.stop() }
        let environment = ["AZURE_CLIENT_ID": "6731de76-14a6-49ae-97bc-6eba6914391e", "AZURE_TENANT_ID": "contoso.onmicrosoft.com",
                           "AZURE_CLIENT_SECRET": "sampleCredentia1s", "AZURE_AUTHORITY_HOST": server.url.absoluteString]
        let credential = try #require(try ClientSecretCredential.fromEnvironment(environment))
        let token = try await credential.fetchToken()
        #expect(token.secret == fakeJWT)
        #expect(token.expiresOn.map { $0.timeIntervalSinceNow > 3500 } == true)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/contoso.onmicrosoft.com/oauth2/v2.0/token")
        let form = String(decoding: request.body, as: UTF8.self)
        #expect(form.contains("grant_type=client_credentials"))
        #expect(form.contains("scope=https%3A%2F%2Fmanagement.azure.com%2F.default"))
        #expect(form.contains("client_id=6731de76-14a6-49ae-97bc-6eba6914391e"))
        #expect(!"\(credential)".contains("sampleCredentia1s"))
        #expect(!String(reflecting: credential).contains("sampleCredentia1s"))
        var dumped = ""
        dump(credential, to: &dumped)
        #expect(!dumped.contains("sampleCredentia1s"))
    }

    @Test func servicePrincipalErrorNeverShowsTheSecret() async throws {
        let server = try FakeAzure { _ in
            FakeResponse(status: 401, object: ["error": "invalid_client",
                                               "error_description": "AADSTS7000215: Invalid client secret provided: sampleCredentia1s.\r\nTrace ID: 1"])
        }
        defer { server.stop() }
        let credential = ClientSecretCredential(tenantID: "t", clientID: "c", clientSecret: "sampleCredentia1s", authority: server.url)
        let error = await #expect(throws: AuditError.self) { try await credential.fetchToken() }
        #expect("\(error!)".contains("AADSTS7000215"))
        #expect(!"\(error!)".contains("sampleCredentia1s"))
    }

    @Test func incompleteServicePrincipalEnvironmentIsNotUsed() throws {
        #expect(try ClientSecretCredential.fromEnvironment(["AZURE_CLIENT_ID": "x", "AZURE_TENANT_ID": "y"]) == nil)
    }

    @Test func managedIdentityUsesTheInstanceMetadataService() async throws {
        let server = try FakeAzure { request in
            guard request.headers["metadata"] == "true" else { return FakeResponse(status: 400, json: "{\"error\": \"invalid_request\"}") }
            // IMDS answers with string-valued numbers.
            return FakeResponse(status: 200, object: ["access_token": fakeJWT, "refresh_token": "", "expires_in": "3599",
                                                      "expires_on": "1796432400", "not_before": "1796428500",
                                                      "resource": "https://management.azure.com/", "token_type": "Bearer"])
        }
        defer { server.stop() }
        let endpoint = server.url.appendingPathComponent("metadata/identity/oauth2/token")
        let credential = ManagedIdentityCredential(endpoint: endpoint, clientID: "11111111-2222-3333-4444-555555555555")
        let token = try await credential.fetchToken()
        #expect(token.secret == fakeJWT)
        #expect(token.expiresOn == Date(timeIntervalSince1970: 1_796_432_400))
        let request = try #require(server.requests.first)
        #expect(request.method == "GET" && request.path == "/metadata/identity/oauth2/token")
        #expect(request.parameter("api-version") == "2018-02-01")
        #expect(request.parameter("resource") == "https://management.azure.com/")
        #expect(request.parameter("client_id") == "11111111-2222-3333-4444-555555555555")
    }

    @Test func redactorRemovesTokens() {
        let text = Redactor.redact("Authorization: Bearer \(fakeJWT) and {\"access_token\": \"abc123\"}")
        #expect(!text.contains("eyJ") && !text.contains("abc123"))
        #expect(text.contains("[redacted]"))
    }
}
