using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StorageServer.Data.Entities;

namespace StorageServer.Data.Configurations;

internal sealed class RepositoryConfiguration : IEntityTypeConfiguration<Repository>
{
    public void Configure(EntityTypeBuilder<Repository> builder)
    {
        builder.ToTable("repositories");
        builder.Property(r => r.Name).HasMaxLength(201);
        builder.HasIndex(r => r.Name).IsUnique();
    }
}

internal sealed class StoredObjectConfiguration : IEntityTypeConfiguration<StoredObject>
{
    public void Configure(EntityTypeBuilder<StoredObject> builder)
    {
        builder.ToTable("objects");
        builder.HasKey(o => o.Oid);
        builder.Property(o => o.Oid).HasMaxLength(64);
        builder.HasIndex(o => o.State);
    }
}

internal sealed class RepoObjectConfiguration : IEntityTypeConfiguration<RepoObject>
{
    public void Configure(EntityTypeBuilder<RepoObject> builder)
    {
        builder.ToTable("repo_objects");
        builder.HasKey(c => new { c.RepositoryId, c.Oid });
        builder.Property(c => c.Oid).HasMaxLength(64);
        builder.HasIndex(c => c.Oid);
        builder.HasOne<Repository>().WithMany().HasForeignKey(c => c.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StoredObject>().WithMany().HasForeignKey(c => c.Oid).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PointerRefConfiguration : IEntityTypeConfiguration<PointerRef>
{
    public void Configure(EntityTypeBuilder<PointerRef> builder)
    {
        builder.ToTable("pointer_refs");
        builder.Property(p => p.CommitSha).HasMaxLength(64);
        builder.Property(p => p.Oid).HasMaxLength(64);
        builder.HasIndex(p => new { p.RepositoryId, p.CommitSha, p.Path }).IsUnique();
        builder.HasIndex(p => new { p.RepositoryId, p.Oid });
        builder.HasOne<Repository>().WithMany().HasForeignKey(p => p.RepositoryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FileLockConfiguration : IEntityTypeConfiguration<FileLock>
{
    public void Configure(EntityTypeBuilder<FileLock> builder)
    {
        builder.ToTable("locks");
        builder.Property(l => l.Id).HasMaxLength(36);
        builder.HasIndex(l => new { l.RepositoryId, l.Path }).IsUnique();
        builder.HasOne<Repository>().WithMany().HasForeignKey(l => l.RepositoryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> builder)
    {
        builder.ToTable("access_tokens");
        builder.Property(t => t.Hash).HasMaxLength(64);
        builder.HasIndex(t => t.Hash).IsUnique();
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("audit_events");
        builder.Property(a => a.PreviousHash).HasMaxLength(64);
        builder.Property(a => a.Hash).HasMaxLength(64);
        builder.HasIndex(a => a.Hash).IsUnique();
        // One successor per entry: two nodes appending after the same head cannot both succeed.
        builder.HasIndex(a => a.PreviousHash).IsUnique();
        builder.HasIndex(a => a.At);
    }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> builder)
    {
        builder.ToTable("job_runs");
        builder.Property(r => r.Job).HasMaxLength(200);
        builder.Property(r => r.Node).HasMaxLength(200);
        builder.Property(r => r.FireInstanceId).HasMaxLength(200);
        builder.HasIndex(r => new { r.Job, r.Id });
        builder.HasIndex(r => r.State);
        builder.HasIndex(r => new { r.Job, r.ScheduledFor }).IsUnique();
    }
}
