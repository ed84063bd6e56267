using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace StorageServer.Data;

/// <summary>
/// An EF compiled query (<see cref="EF.CompileAsyncQuery{TContext, TParam1, TResult}(System.Linq.Expressions.Expression{Func{TContext, TParam1, CancellationToken, Task{TResult}}})"/>)
/// per EF model. EF refuses to run a compiled query against another model than the one it was
/// compiled for, and one process may hold several (a test host runs SQLite and PostgreSQL servers
/// side by side); a server holds one, so this compiles once. Compiled queries skip EF's per-call
/// query setup (expression building, parameter extraction, cache lookup), which costs more than
/// the query itself on the hot upload path (issue 17).
/// </summary>
public sealed class PerModelCompiledQuery<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _queries = new();

    public TQuery For(DbContext db) => _queries.GetValue(db.Model, _ => compile());
}
