using Affinsy.Reference.Config;

namespace Affinsy.Reference.Http;

/// <summary>The authenticated user behind a request and the hash of the key it used (never the key).</summary>
internal sealed record Caller(ReferenceUser User, string KeyHash);
