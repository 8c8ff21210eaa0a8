/** Ids and answer bodies in the shapes of reference/dws-dr-api.md §2, shared by the client tests. */
export const PROJECT = '89cd04f168b84af6be287f71730fdb4b';
export const DR = 'e59d6b86-9072-46eb-a996-13f8b44994c1';
export const PRIMARY = '3ef5daaa-d017-4354-80b3-8a69caf2e094';
export const STANDBY = 'e7fed7fe-f4a7-499a-afed-1fdb5c1978cb';
export const AK = 'HPUAEXAMPLEAK';
export const SK = 'example-secret-key';

export const drCluster = (id: string, role: string) => ({
  id,
  name: role === 'primary' ? 'prod' : 'dr',
  cluster_az: 'cn-north-4a',
  role,
  region: 'cn-north-4',
  status: role === 'primary' ? 'backuping' : 'restoring',
  progress: '100%',
  last_success_time: '2024-01-01T00:10:00',
  obs_bucket_name: '',
  datastore_version: '8.2.1',
  datastore_type: 'dws',
  disk_capacity: '300',
  disk_used: '12',
});

export const detailBody = {
  disaster_recovery: {
    id: DR,
    name: 'dr-prod',
    dr_type: 'az',
    status: 'running',
    primary_cluster: drCluster(PRIMARY, 'primary'),
    standby_cluster: drCluster(STANDBY, 'standby'),
    dr_sync_period: '5m',
    start_time: '2023-12-31T08:00:00',
    create_time: '2023-12-31T07:40:00',
  },
};

export const listItem = {
  id: DR,
  name: 'dr-prod',
  status: 'running',
  dr_type: 'az',
  primary_cluster_id: PRIMARY,
  standby_cluster_id: STANDBY,
  primary_cluster_name: 'prod',
  standby_cluster_name: 'dr',
  primary_cluster_role: 'primary',
  standby_cluster_role: 'standby',
  primary_cluster_status: 'waiting',
  standby_cluster_status: null,
  primary_cluster_region: 'cn-north-4',
  standby_cluster_region: 'cn-north-4',
  primary_cluster_project_id: PROJECT,
  standby_cluster_project_id: PROJECT,
  last_disaster_time: '2022-10-28T02:34:16',
  start_time: null,
  create_time: '2022-10-26T12:04:10',
};

export const listBody = { disaster_recovery: [listItem] };

export const actionBody = { disaster_recovery: { id: DR } };

export const progressBody = {
  disaster_recovery_progress: {
    primary_cluster: {
      key: 'k1',
      action_type: 'Backup',
      unrestore_keys: '',
      action_start_time: '2024-01-01T00:00:00',
      action_end_time: '2024-01-01T00:05:00',
    },
    standby_cluster: null,
    latest_barrier_time: '2024-01-01T00:00:00',
    last_recovery_spend: 12,
    recovery_point_object: 300,
    recovery_time_object: 60,
  },
};

export const clusterBody = {
  cluster: {
    id: STANDBY,
    name: 'dr',
    status: 'AVAILABLE',
    version: '8.2.1',
    sub_status: 'NORMAL',
    task_status: '',
    action_progress: {},
    availability_zone: 'cn-north-4b',
    updated: '2024-01-01T00:00:00',
    created: '2023-01-01T00:00:00',
    nodes: [{ id: 'n1', status: '200' }],
  },
};
