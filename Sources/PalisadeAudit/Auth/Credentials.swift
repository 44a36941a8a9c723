import Foundation

/// The resource Palisade asks tokens for: Azure Resource Manager, which serves both Resource Graph and ARM reads.
public let managementResource = "https://management.azure.com/"

/// A token from the Azure CLI the user is signed in to: runs
/// `az account get-access-token --resource https://management.azure.com/ -o json` from the PATH.
/// Output fields: `accessToken`, and since Azure CLI 2.54 `expires_on` (POSIX seconds); older versions only have the
/// local-time `expiresOn`, which is not used.
/// https://learn.microsoft.com/cli/azure/account#az-account-get-access-token
public struct AzureCLICredential: TokenCredential {
    /// The environment the `az` process sees, and whose `PATH` is searched for it.
    public var environment: [String: String]
    /// An optional tenant (`--tenant`).
    public var tenant: String?

    /// Creates the credential.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, tenant: String? = nil) {
        self.environment = environment
        self.tenant = tenant
    }

    /// The name used in messages.
    public var name: String { "Azure CLI" }

    /// The first executable `az` on the PATH.
    func executable() -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = String(directory) + "/az"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Obtains a fresh token.
    public func fetchToken() async throws -> AccessToken {
        guard let az = executable() else {
            throw AuditError.authentication("the Azure CLI ('az') is not on the PATH; install it and run 'az login', "
                + "or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET for a service principal")
        }
        var arguments = ["account", "get-access-token", "--resource", managementResource, "-o", "json"]
        if let tenant { arguments += ["--tenant", tenant] }
        let (status, stdout, stderr) = try await Self.run(az, arguments, environment: environment)
        guard status == 0 else {
            let firstLine = String(decoding: stderr, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "exit status \(status)"
            throw AuditError.authentication("'az account get-access-token' failed: \(Redactor.redact(firstLine)); run 'az login'")
        }
        guard let object = try? JSONSerialization.jsonObject(with: stdout) as? [String: Any],
              let token = object["accessToken"] as? String, !token.isEmpty else {
            throw AuditError.authentication("'az account get-access-token' did not print a JSON object with 'accessToken'")
        }
        var expires: Date?
        if let seconds = object["expires_on"] as? Double { expires = Date(timeIntervalSince1970: seconds) }
        else if let text = object["expires_on"] as? String, let seconds = Double(text) { expires = Date(timeIntervalSince1970: seconds) }
        return AccessToken(token, expiresOn: expires)
    }

    /// Runs a process to completion without a shell; output is read before waiting so large outputs cannot block.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) async throws
        -> (Int32, Data, Data) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                // A program file another process still holds open for writing cannot be started yet ("text file
                // busy"); that clears within moments, so a failed start is retried a few times before it is reported.
                var launched = false
                var lastError: (any Error)?
                var process = Process()
                let out = Pipe(), err = Pipe()
                for attempt in 0..<4 where !launched {
                    if attempt > 0 { usleep(50_000 << attempt) }
                    process = Process()
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = arguments
                    process.environment = environment
                    process.standardOutput = out
                    process.standardError = err
                    process.standardInput = FileHandle.nullDevice
                    do { try process.run(); launched = true } catch { lastError = error }
                }
                guard launched else {
                    let reason = lastError.map { $0.localizedDescription } ?? "unknown error"
                    continuation.resume(throwing: AuditError.authentication("cannot run '\(executable)': \(reason)"))
                    return
                }
                let group = DispatchGroup()
                let errData = DataBox()
                group.enter()
                DispatchQueue.global().async {
                    errData.data = err.fileHandleForReading.readDataToEndOfFile()
                    group.leave()
                }
                let outData = out.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, outData, errData.data))
            }
        }
    }
}

/// A service principal with a client secret, from the standard `AZURE_CLIENT_ID`, `AZURE_TENANT_ID` and
/// `AZURE_CLIENT_SECRET` variables: the OAuth 2.0 client credentials grant against
/// `{authority}/{tenant}/oauth2/v2.0/token` with scope `https://management.azure.com/.default`.
/// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
/// The authority host defaults to `https://login.microsoftonline.com` and follows `AZURE_AUTHORITY_HOST`, as the
/// Azure SDKs do (sovereign clouds, tests). Printing or dumping the credential never shows the secret.
public struct ClientSecretCredential: TokenCredential, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Tenant ID.
    public var tenantID: String
    /// Application (client) ID.
    public var clientID: String
    /// The client secret; never printed.
    let clientSecret: String
    /// The authority host.
    public var authority: URL
    /// The HTTP transport.
    public var transport: any HTTPTransport

    /// Creates the credential.
    public init(tenantID: String, clientID: String, clientSecret: String,
                authority: URL = URL(string: "https://login.microsoftonline.com")!, transport: any HTTPTransport = URLSessionTransport()) {
        self.tenantID = tenantID
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.authority = authority
        self.transport = transport
    }

    /// The credential the environment describes, or nil when one of the three variables is missing.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       transport: any HTTPTransport = URLSessionTransport()) throws -> ClientSecretCredential? {
        guard let client = environment["AZURE_CLIENT_ID"], !client.isEmpty,
              let tenant = environment["AZURE_TENANT_ID"], !tenant.isEmpty,
              let secret = environment["AZURE_CLIENT_SECRET"], !secret.isEmpty else { return nil }
        var authority = URL(string: "https://login.microsoftonline.com")!
        if let host = environment["AZURE_AUTHORITY_HOST"], !host.isEmpty {
            guard let url = URL(string: host), url.scheme == "https" || url.host == "127.0.0.1" || url.host == "localhost" else {
                throw AuditError.configuration("AZURE_AUTHORITY_HOST '\(host)' must be an https URL")
            }
            authority = url
        }
        return ClientSecretCredential(tenantID: tenant, clientID: client, clientSecret: secret, authority: authority, transport: transport)
    }

    /// The name used in messages.
    public var name: String { "service principal" }

    /// The text shown to users (never a secret).
    public var description: String { "ClientSecretCredential(tenant: \(tenantID), client: \(clientID), secret: [redacted])" }
    /// Same as `description`.
    public var debugDescription: String { description }
    /// What `dump` and debuggers show: no secret.
    public var customMirror: Mirror {
        Mirror(self, children: ["tenantID": tenantID, "clientID": clientID, "authority": authority], displayStyle: .struct)
    }

    /// Obtains a fresh token.
    public func fetchToken() async throws -> AccessToken {
        let url = authority.appendingPathComponent(tenantID).appendingPathComponent("oauth2/v2.0/token")
        let form = [("client_id", clientID), ("scope", managementResource + ".default"), ("client_secret", clientSecret),
                    ("grant_type", "client_credentials")]
        let body = form.map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(method: "POST", url: url, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data(body.utf8))
        let response: HTTPResponse
        do { response = try await transport.send(request) } catch {
            throw AuditError.authentication(Redactor.redact("\(error)", secret: clientSecret))
        }
        return try Self.parseTokenResponse(response, url: url, secret: clientSecret, issuer: "the token endpoint")
    }

    /// Parses `{"access_token", "expires_in"|"expires_on"}` (Microsoft identity platform and IMDS share the names).
    static func parseTokenResponse(_ response: HTTPResponse, url: URL, secret: String?, issuer: String) throws -> AccessToken {
        let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        guard response.status == 200 else {
            let description = (object?["error_description"] as? String) ?? (object?["error"] as? String) ?? "no error description"
            let firstLine = description.split(separator: "\n").first.map(String.init) ?? description
            throw AuditError.authentication(Redactor.redact("\(issuer) \(url.redactedForDisplay) answered HTTP \(response.status): \(firstLine)", secret: secret))
        }
        guard let object, let token = object["access_token"] as? String, !token.isEmpty else {
            throw AuditError.authentication("\(issuer) \(url.redactedForDisplay) did not return an access_token")
        }
        var expires: Date?
        if let seconds = Self.number(object["expires_on"]) { expires = Date(timeIntervalSince1970: seconds) }
        else if let seconds = Self.number(object["expires_in"]) { expires = Date().addingTimeInterval(seconds) }
        return AccessToken(token, expiresOn: expires)
    }

    static func number(_ value: Any?) -> Double? {
        if let d = value as? Double { return d }
        if let i = value as? Int { return Double(i) }
        if let s = value as? String { return Double(s) }
        return nil
    }

    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// A managed identity through the Azure Instance Metadata Service:
/// `GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…` with `Metadata: true`
/// (and `client_id` for a user-assigned identity).
/// https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token#get-a-token-using-http
public struct ManagedIdentityCredential: TokenCredential {
    /// The IMDS token endpoint (replaceable for tests).
    public var endpoint: URL
    /// A user-assigned identity's client ID, if not the system-assigned identity.
    public var clientID: String?
    /// The HTTP transport.
    public var transport: any HTTPTransport

    /// The documented IMDS token endpoint.
    public static let imdsEndpoint = URL(string: "http://169.254.169.254/metadata/identity/oauth2/token")!

    /// Creates the credential.
    public init(endpoint: URL = imdsEndpoint, clientID: String? = nil, transport: any HTTPTransport = URLSessionTransport(timeout: 10)) {
        self.endpoint = endpoint
        self.clientID = clientID
        self.transport = transport
    }

    /// The name used in messages.
    public var name: String { "managed identity" }

    /// Obtains a fresh token.
    public func fetchToken() async throws -> AccessToken {
        guard var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false) else {
            throw AuditError.configuration("invalid managed identity endpoint")
        }
        var items = [URLQueryItem(name: "api-version", value: "2018-02-01"), URLQueryItem(name: "resource", value: managementResource)]
        if let clientID { items.append(URLQueryItem(name: "client_id", value: clientID)) }
        components.queryItems = items
        guard let url = components.url else { throw AuditError.configuration("invalid managed identity endpoint") }
        let response: HTTPResponse
        do { response = try await transport.send(HTTPRequest(method: "GET", url: url, headers: ["Metadata": "true"])) } catch {
            throw AuditError.authentication("the instance metadata service is not reachable (is this running on Azure with a managed identity?): \(error)")
        }
        return try ClientSecretCredential.parseTokenResponse(response, url: url, secret: nil, issuer: "the instance metadata service")
    }
}

/// Bytes filled by one thread and read by another after a `DispatchGroup` wait.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
