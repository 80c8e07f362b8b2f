namespace Holdfast.Server.Configuration;

internal enum ConfigNodeKind
{
    Scalar,
    Mapping,
    Sequence,
}
