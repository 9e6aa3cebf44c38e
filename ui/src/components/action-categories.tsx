interface CategoryMeta { readonly title: string; readonly icon: string; readonly color: string }

/** How each action category is shown: a title, an icon (24×24 stroke path) and its accent colour. */
const CATEGORY_META: Readonly<Record<string, CategoryMeta>> = {
  incident: { title: 'Incidents', icon: 'M12 3 2 20h20zM12 9v5M12 17v.5', color: '#dc2626' },
  deployment: { title: 'Deployments', icon: 'M12 2c3 2 5 6 5 10l-2 3H9l-2-3c0-4 2-8 5-10zM9 15l-2 5 3-1M15 15l2 5-3-1', color: '#7c3aed' },
  infrastructure: { title: 'Infrastructure', icon: 'M3 4h18v6H3zM3 14h18v6H3zM7 7h.5M7 17h.5', color: '#0f766e' },
  communication: { title: 'Communication', icon: 'M4 5h16v11H8l-4 4z', color: '#db2777' },
  data: { title: 'Data', icon: 'M4 6c0-3 16-3 16 0v12c0 3-16 3-16 0zM4 6c0 3 16 3 16 0M4 12c0 3 16 3 16 0', color: '#2563eb' },
  utility: { title: 'Utility', icon: 'M14 6a4 4 0 0 0 5 5l-9 9-4-4 9-9a4 4 0 0 0-1-1z', color: '#64748b' },
  monitoring: { title: 'Monitoring and diagnostics', icon: 'M3 12h4l3-7 4 14 3-7h4', color: '#0891b2' },
  paging: { title: 'Paging and status pages', icon: 'M6 16v-5a6 6 0 1 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0', color: '#ea580c' },
  kubernetes: { title: 'Kubernetes', icon: 'M12 2 21 7v10l-9 5-9-5V7zM12 7v10M7.5 9.5l9 5M16.5 9.5l-9 5', color: '#326ce5' },
  containers: { title: 'Containers', icon: 'M3 9h18v10H3zM6 9V5h4v4M10 9V5h4v4M14 9V5h4v4', color: '#0284c7' },
  code: { title: 'Code hosting', icon: 'M8 7l-5 5 5 5M16 7l5 5-5 5M14 4l-4 16', color: '#334155' },
  identity: { title: 'Identity', icon: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0', color: '#16a34a' },
  messaging: { title: 'Messaging', icon: 'M3 12h13M12 7l5 5-5 5M20 4v16', color: '#9333ea' },
  files: { title: 'Files', icon: 'M6 2h8l5 5v15H6zM14 2v5h5', color: '#a16207' },
  secrets: { title: 'Secrets', icon: 'M6 11h12v10H6zM8 11V7a4 4 0 0 1 8 0v4', color: '#b91c1c' },
};

/** The categories in the catalogue's order (incidents first, secrets last). */
export const CATEGORY_ORDER: readonly string[] = Object.keys(CATEGORY_META);

/** A category the server knows and this UI does not yet still gets a title and an icon. */
export function categoryMeta(category: string): CategoryMeta {
  return CATEGORY_META[category] ?? { title: category, icon: 'M5 12h14M12 5v14', color: '#64748b' };
}

export function CategoryIcon({ category, size = 16 }: { category: string; size?: number }) {
  const meta = categoryMeta(category);
  return (
    <span className="node-icon" style={{ background: meta.color }} aria-hidden="true">
      <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="#fff" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
        <path d={meta.icon} />
      </svg>
    </span>
  );
}
