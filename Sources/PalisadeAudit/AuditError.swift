import Foundation

/// Why an audit step failed; every message is safe to print (tokens and secrets are redacted).
public enum AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No credential could be obtained.
    case authentication(String)
    /// The request never got an answer.
    case network(String, String)
    /// An HTTP error answer: status, URL without query, Azure's error code and message.
    case http(status: Int, url: String, code: String?, message: String?)
    /// The answer was not the JSON Azure documents.
    case malformedResponse(url: String, detail: String)
    /// Throttled more times than the retry budget allows.
    case throttled(url: String, attempts: Int)
    /// Invalid settings (a bad endpoint URL, an empty scope).
    case configuration(String)
    /// The answer was valid but Azure said it is not the whole result.
    case incomplete(url: String, detail: String)

    /// The message, safe to print.
    public var description: String {
        switch self {
        case .authentication(let why): return "cannot get an Azure access token: \(Redactor.redact(why))"
        case .network(let url, let why): return "no answer from \(url): \(Redactor.redact(why))"
        case .http(let status, let url, let code, let message):
            var text = "HTTP \(status) from \(url)"
            if let code { text += " (\(code))" }
            if let message, !message.isEmpty { text += ": \(Redactor.redact(message))" }
            return text
        case .malformedResponse(let url, let detail): return "the answer from \(url) is not the JSON Azure documents: \(detail)"
        case .throttled(let url, let attempts): return "still throttled by \(url) after \(attempts) attempts"
        case .configuration(let why): return why
        case .incomplete(let url, let detail): return "the answer from \(url) is incomplete: \(detail)"
        }
    }

    /// Parses Azure's error envelope `{"error": {"code": …, "message": …}}` (ARM and Resource Graph share it).
    static func fromResponse(_ response: HTTPResponse, url: URL) -> AuditError {
        var code: String?, message: String?
        if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
           let error = object["error"] as? [String: Any] {
            code = error["code"] as? String
            message = error["message"] as? String
        }
        if let m = message, m.count > 500 { message = String(m.prefix(500)) + "…" }
        return .http(status: response.status, url: url.redactedForDisplay, code: code, message: message)
    }
}

/// Removes anything that looks like a bearer token or a secret from text before it is shown.
public enum Redactor {
    /// Replaces JWTs (`eyJ…`), `Bearer …` values and `access_token`/`client_secret` values with `[redacted]`.
    public static func redact(_ text: String) -> String {
        var out = text
        let patterns = [
            #"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*\.?[A-Za-z0-9_\-]*"#,
            #"(?i)bearer\s+[A-Za-z0-9_\-\.~+/=]+"#,
            #"(?i)("?(access_token|accessToken|client_secret|refresh_token)"?\s*[:=]\s*"?)[^"&\s,}]+"#,
        ]
        for (index, pattern) in patterns.enumerated() {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            let range = NSRange(out.startIndex..., in: out)
            out = regex.stringByReplacingMatches(in: out, range: range, withTemplate: index == 2 ? "$1[redacted]" : "[redacted]")
        }
        return out
    }

    /// Also removes one known secret value, wherever it appears.
    public static func redact(_ text: String, secret: String?) -> String {
        guard let secret, secret.count >= 4 else { return redact(text) }
        return redact(text.replacingOccurrences(of: secret, with: "[redacted]"))
    }
}
