export default function Home() {
  return <main>Corral</main>;
}
